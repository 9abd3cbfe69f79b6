using System.Runtime.CompilerServices;

namespace Hft.Core.Book;

/// <summary>
/// The pending stop / take-profit orders of one instrument and its last trade price. Not part of the public book: a
/// pending order shows in no level and is no liquidity. Two arrays of order slots, one per trigger direction, each
/// sorted with the next order to fire at the end (lowest trigger first for rising, highest first for falling; equal
/// triggers in arrival order), so firing pops from the end and insertion is a binary search.
/// </summary>
public sealed class StopBook
{
    private readonly OrderStore _orders;
    private SlotArray _rising;
    private SlotArray _falling;

    public StopBook(OrderStore orders, int capacity)
    {
        _orders = orders;
        _rising = new SlotArray(capacity);
        _falling = new SlotArray(capacity);
    }

    /// <summary>Price of the instrument's last trade in ticks; 0 before the first.</summary>
    public long LastTrade { get; internal set; }

    public int Count => _rising.Count + _falling.Count;

    /// <summary>The pending slots that fire on a rising (true) or falling price, next to fire first.</summary>
    public int CopySlots(bool onRise, Span<int> dest)
    {
        ref readonly var a = ref onRise ? ref _rising : ref _falling;
        int n = Math.Min(a.Count, dest.Length);
        for (int i = 0; i < n; i++) dest[i] = a.Items[a.Count - 1 - i];
        return n;
    }

    internal void Add(int slot, bool onRise)
    {
        ref var a = ref onRise ? ref _rising : ref _falling;
        int lo = 0, hi = a.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (FiresBefore(a.Items[mid], slot, onRise)) hi = mid;
            else lo = mid + 1;
        }
        a.InsertAt(lo, slot);
    }

    internal void Remove(int slot, bool onRise)
    {
        ref var a = ref onRise ? ref _rising : ref _falling;
        int lo = 0, hi = a.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int s = a.Items[mid];
            if (s == slot) { a.RemoveAt(mid); return; }
            if (FiresBefore(s, slot, onRise)) hi = mid - 1;
            else lo = mid + 1;
        }
        throw new InvalidOperationException($"stop slot {slot} is not pending"); // a broken invariant, never control flow
    }

    /// <summary>
    /// Records a trade at <paramref name="price"/> and appends the slots it fires to <paramref name="fired"/>, taking them
    /// out of the pending set: rising ones first (lowest trigger, then arrival), then falling ones (highest trigger, then
    /// arrival). Both directions fire on one trade only for orders entered before the instrument's first trade.
    /// </summary>
    internal void Fire(long price, SlotQueue fired)
    {
        LastTrade = price;
        while (_rising.Count > 0 && _orders.Terms(_rising.Last).TriggerPrice <= price) fired.Enqueue(_rising.Pop());
        while (_falling.Count > 0 && _orders.Terms(_falling.Last).TriggerPrice >= price) fired.Enqueue(_falling.Pop());
    }

    /// <summary>True when the order in slot <paramref name="a"/> fires before the one in <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FiresBefore(int a, int b, bool onRise)
    {
        long ta = _orders.Terms(a).TriggerPrice, tb = _orders.Terms(b).TriggerPrice;
        if (ta != tb) return onRise ? ta < tb : ta > tb;
        return _orders[a].Sequence < _orders[b].Sequence;
    }
}
