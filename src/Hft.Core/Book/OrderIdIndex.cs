using System.Runtime.CompilerServices;

namespace Hft.Core.Book;

/// <summary>
/// Open-addressing hash map from order id to order slot, pre-sized, linear probing, no per-entry objects.
/// An id stays in the index after its order leaves the book (marked dead) so that a reused id is refused
/// as a duplicate and a cancel of a filled order is answered with unknown_order. Grows by doubling at
/// 70% load, which a sized deployment never reaches in steady state.
/// </summary>
public sealed class OrderIdIndex
{
    public const int Absent = -1;
    public const int Dead = -2;

    private long[] _keys;
    private int[] _values; // 0 empty, -1 dead, slot + 1 live
    private int _mask;
    private int _count;
    private int _shift;

    public OrderIdIndex(int capacity)
    {
        int size = 16;
        while (size * 7 / 10 < capacity) size <<= 1;
        _keys = PreTouch.Touch(new long[size]);
        _values = PreTouch.Touch(new int[size]);
        _mask = size - 1;
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
    }

    /// <summary>Number of ids ever accepted (live and dead).</summary>
    public int Count => _count;

    /// <summary>
    /// Home slot of an id. Ids are hashed in groups of <see cref="GroupSize"/> consecutive values: the group
    /// number picks a block (Fibonacci hashing), the low bits the slot within it. Consecutive ids, which is how
    /// gateways and clients usually number orders, then share a cache line of keys instead of each costing a
    /// cache miss in a table that keeps every id ever seen; other id patterns hash like before.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(long id)
        => ((int)((((ulong)id >> GroupBits) * 0x9E3779B97F4A7C15UL) >> (_shift + GroupBits)) << GroupBits) | (int)(id & (GroupSize - 1));

    private const int GroupBits = 3;
    private const int GroupSize = 1 << GroupBits;

    /// <summary>The live slot of <paramref name="id"/>, <see cref="Dead"/> if it was used and is gone, else <see cref="Absent"/>.</summary>
    public int Find(long id)
    {
        int i = Home(id);
        while (true)
        {
            int v = _values[i];
            if (v == 0) return Absent;
            if (_keys[i] == id) return v > 0 ? v - 1 : Dead;
            i = (i + 1) & _mask;
        }
    }

    /// <summary>Adds a new id (caller has checked it is absent).</summary>
    public void Add(long id, int slot)
    {
        if ((_count + 1) * 10 > _keys.Length * 7) Grow();
        Insert(id, slot + 1);
        _count++;
    }

    /// <summary>Points a known id at a new slot.</summary>
    public void Update(long id, int slot) => Set(id, slot + 1);

    /// <summary>Marks a known id as no longer live.</summary>
    public void MarkDead(long id) => Set(id, -1);

    private void Set(long id, int value)
    {
        int i = Home(id);
        while (_keys[i] != id || _values[i] == 0) i = (i + 1) & _mask;
        _values[i] = value;
    }

    private void Insert(long id, int value)
    {
        int i = Home(id);
        while (_values[i] != 0) i = (i + 1) & _mask;
        _keys[i] = id;
        _values[i] = value;
    }

    private void Grow()
    {
        var oldKeys = _keys;
        var oldValues = _values;
        int size = oldKeys.Length * 2;
        _keys = new long[size];
        _values = new int[size];
        _mask = size - 1;
        _shift--;
        for (int i = 0; i < oldKeys.Length; i++)
        {
            if (oldValues[i] != 0) Insert(oldKeys[i], oldValues[i]);
        }
    }
}
