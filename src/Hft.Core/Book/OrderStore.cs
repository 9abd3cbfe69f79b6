using System.Runtime.CompilerServices;

namespace Hft.Core.Book;

/// <summary>
/// Pre-allocated pool of <see cref="RestingOrder"/> slots with a free list. A slot index is an order's
/// handle everywhere in the book. The pool doubles only when exhausted (never in a sized steady state).
/// Single writer: owned by one matching engine.
/// </summary>
public sealed class OrderStore
{
    private RestingOrder[] _items;
    private OrderTerms[] _terms;
    private int _freeHead = -1;
    private int _highWater;
    private int _live;

    public OrderStore(int capacity)
    {
        _items = PreTouch.Touch(new RestingOrder[Math.Max(16, capacity)]);
        _terms = PreTouch.Touch(new OrderTerms[_items.Length]);
    }

    public int Live => _live;

    public int Capacity => _items.Length;

    public ref RestingOrder this[int slot]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _items[slot];
    }

    /// <summary>The rarely read terms of the order in <paramref name="slot"/> (iceberg reserve, trigger, expiry).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref OrderTerms Terms(int slot) => ref _terms[slot];

    /// <summary>Total remaining quantity of the order in <paramref name="slot"/>: displayed and hidden.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long TotalRemaining(int slot)
    {
        ref var o = ref _items[slot];
        return (o.Flags & OrderFlags.Iceberg) != 0 ? o.Remaining + _terms[slot].Hidden : o.Remaining;
    }

    public int Allocate()
    {
        _live++;
        if (_freeHead >= 0)
        {
            int slot = _freeHead;
            _freeHead = _items[slot].Next;
            return slot;
        }
        if (_highWater == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
            Array.Resize(ref _terms, _items.Length);
        }
        return _highWater++;
    }

    public void Free(int slot)
    {
        _live--;
        ref var o = ref _items[slot];
        o = default;
        _terms[slot] = default;
        o.Level = -1;
        o.Next = _freeHead;
        _freeHead = slot;
    }
}
