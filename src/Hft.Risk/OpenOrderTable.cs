using Hft.Core.Orders;

namespace Hft.Risk;

/// <summary>What risk remembers of a resting order: whose, where, and the quantity and price it reserves.</summary>
public struct OpenOrder
{
    public long Id;
    public int Account;
    public int Instrument;
    public Side Side;
    public long Price;
    public long Remaining;

    /// <summary>Its notional exceeds <see cref="Hft.Core.Numerics.Amount"/>'s range: counted apart from the open notional sum.</summary>
    public bool Saturated;
}

/// <summary>
/// Open-addressing map of resting orders by id (linear probing with backward-shift deletion, so no tombstones
/// accumulate). Pre-sized; doubles only past 70% load.
/// </summary>
public sealed class OpenOrderTable
{
    private OpenOrder[] _slots;
    private bool[] _used;
    private int _mask;
    private int _count;

    public OpenOrderTable(int capacity)
    {
        int size = 16;
        while (size * 7 / 10 < capacity) size <<= 1;
        _slots = new OpenOrder[size];
        _used = new bool[size];
        _mask = size - 1;
    }

    public int Count => _count;

    private int Home(long id) => (int)(((ulong)id * 0x9E3779B97F4A7C15UL) >> 32) & _mask;

    /// <summary>Reference to the entry of <paramref name="id"/>, or a null reference when absent.</summary>
    public ref OpenOrder Find(long id)
    {
        int i = Home(id);
        while (_used[i])
        {
            if (_slots[i].Id == id) return ref _slots[i];
            i = (i + 1) & _mask;
        }
        return ref System.Runtime.CompilerServices.Unsafe.NullRef<OpenOrder>();
    }

    public void Add(in OpenOrder order)
    {
        if ((_count + 1) * 10 > _slots.Length * 7) Grow();
        Insert(in order);
        _count++;
    }

    public bool Remove(long id)
    {
        int i = Home(id);
        while (_used[i] && _slots[i].Id != id) i = (i + 1) & _mask;
        if (!_used[i]) return false;
        // backward-shift: pull later members of the probe chain into the hole
        int hole = i;
        int j = i;
        while (true)
        {
            j = (j + 1) & _mask;
            if (!_used[j]) break;
            int home = Home(_slots[j].Id);
            bool between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (between) continue;
            _slots[hole] = _slots[j];
            hole = j;
        }
        _used[hole] = false;
        _slots[hole] = default;
        _count--;
        return true;
    }

    private void Insert(in OpenOrder order)
    {
        int i = Home(order.Id);
        while (_used[i]) i = (i + 1) & _mask;
        _slots[i] = order;
        _used[i] = true;
    }

    private void Grow()
    {
        var old = _slots;
        var oldUsed = _used;
        _slots = new OpenOrder[old.Length * 2];
        _used = new bool[old.Length * 2];
        _mask = _slots.Length - 1;
        for (int i = 0; i < old.Length; i++)
            if (oldUsed[i]) Insert(in old[i]);
    }
}
