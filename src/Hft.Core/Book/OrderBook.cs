using System.Runtime.CompilerServices;
using Hft.Core.Instruments;
using Hft.Core.Orders;

namespace Hft.Core.Book;

/// <summary>
/// The central limit order book of one instrument: two <see cref="BookSide"/>s over a pool of
/// <see cref="PriceLevel"/>s, with orders living in the engine's <see cref="OrderStore"/>.
/// Mutated only by its <see cref="Matching.MatchingEngine"/> (single writer); the read methods
/// (<see cref="TryGetBest"/>, <see cref="CopyLevels(Orders.Side, Span{LevelView})"/>, <see cref="CopyOrders"/>) write into caller buffers.
/// </summary>
public sealed class OrderBook
{
    private PriceLevel[] _levels;
    private int _levelFree = -1;
    private int _levelHighWater;
    private readonly OrderStore _orders;

    public OrderBook(Instrument instrument, OrderStore orders, int levelCapacity)
    {
        Instrument = instrument;
        _orders = orders;
        _levels = PreTouch.Touch(new PriceLevel[Math.Max(16, levelCapacity)]);
        Bids = new BookSide(isBid: true, levelCapacity);
        Asks = new BookSide(isBid: false, levelCapacity);
    }

    public Instrument Instrument { get; }

    public BookSide Bids { get; }

    public BookSide Asks { get; }

    /// <summary>Number of resting orders on both sides.</summary>
    public int OrderCount { get; private set; }

    internal PriceLevel[] Levels => _levels;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public BookSide SideOf(Side side) => side == Side.Buy ? Bids : Asks;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref PriceLevel Level(int slot) => ref _levels[slot];

    /// <summary>Appends the order in <paramref name="slot"/> to the tail of its price level (creating the level).</summary>
    internal void Append(int slot)
    {
        ref var o = ref _orders[slot];
        var side = SideOf(o.Side);
        int pos = side.Search(_levels, o.Price);
        int levelSlot;
        if (pos >= 0)
        {
            levelSlot = side.AtRank(side.LevelCount - 1 - pos);
        }
        else
        {
            levelSlot = AllocateLevel();
            ref var fresh = ref _levels[levelSlot];
            fresh.Price = o.Price;
            fresh.TotalQuantity = 0;
            fresh.Count = 0;
            fresh.Head = -1;
            fresh.Tail = -1;
            side.InsertAt(~pos, levelSlot);
        }
        ref var level = ref _levels[levelSlot];
        o.Level = levelSlot;
        o.Next = -1;
        o.Prev = level.Tail;
        if (level.Tail >= 0) _orders[level.Tail].Next = slot;
        else level.Head = slot;
        level.Tail = slot;
        level.Count++;
        level.TotalQuantity += o.Remaining;
        OrderCount++;
    }

    /// <summary>
    /// Unlinks the order in <paramref name="slot"/> from its level, dropping the level when it empties.
    /// The caller frees the slot.
    /// </summary>
    internal void Unlink(int slot)
    {
        ref var o = ref _orders[slot];
        int levelSlot = o.Level;
        ref var level = ref _levels[levelSlot];
        if (o.Prev >= 0) _orders[o.Prev].Next = o.Next;
        else level.Head = o.Next;
        if (o.Next >= 0) _orders[o.Next].Prev = o.Prev;
        else level.Tail = o.Prev;
        level.Count--;
        level.TotalQuantity -= o.Remaining;
        o.Level = -1;
        OrderCount--;
        if (level.Count == 0)
        {
            var side = SideOf(o.Side);
            if (side.Best == levelSlot) side.RemoveBest();
            else side.RemoveAt(side.Search(_levels, level.Price));
            FreeLevel(levelSlot);
        }
    }

    /// <summary>
    /// Iceberg refresh: gives the order in <paramref name="slot"/> (its displayed slice just filled) a new slice of
    /// <paramref name="slice"/> and moves it to the tail of its level: a refreshed slice loses time priority.
    /// </summary>
    internal void Refresh(int slot, long slice)
    {
        ref var o = ref _orders[slot];
        ref var level = ref _levels[o.Level];
        o.Remaining = slice;
        level.TotalQuantity += slice;
        if (level.Tail == slot) return;
        if (o.Prev >= 0) _orders[o.Prev].Next = o.Next;
        else level.Head = o.Next;
        _orders[o.Next].Prev = o.Prev;
        o.Prev = level.Tail;
        o.Next = -1;
        _orders[level.Tail].Next = slot;
        level.Tail = slot;
    }

    /// <summary>Reduces a resting order's quantity in place (keeps its queue position).</summary>
    internal void Reduce(int slot, long by)
    {
        ref var o = ref _orders[slot];
        o.Remaining -= by;
        _levels[o.Level].TotalQuantity -= by;
    }

    private int AllocateLevel()
    {
        if (_levelFree >= 0)
        {
            int s = _levelFree;
            _levelFree = _levels[s].NextFree;
            return s;
        }
        if (_levelHighWater == _levels.Length) Array.Resize(ref _levels, _levels.Length * 2);
        return _levelHighWater++;
    }

    private void FreeLevel(int slot)
    {
        _levels[slot].NextFree = _levelFree;
        _levelFree = slot;
    }

    // ---- queries (L1 / L2 / L3) ----

    /// <summary>L1: best price, total quantity and order count of a side; false when the side is empty.</summary>
    public bool TryGetBest(Side side, out LevelView best)
    {
        var s = SideOf(side);
        if (s.IsEmpty)
        {
            best = default;
            return false;
        }
        ref var l = ref _levels[s.Best];
        best = new LevelView(l.Price, l.TotalQuantity, l.Count);
        return true;
    }

    /// <summary>L2: copies up to <c>dest.Length</c> levels of a side, best first; returns how many.</summary>
    public int CopyLevels(Side side, Span<LevelView> dest) => CopyLevels(side, 0, dest);

    /// <summary>L2 from rank <paramref name="skip"/> on (0 = best): for paging through a deep book.</summary>
    public int CopyLevels(Side side, int skip, Span<LevelView> dest)
    {
        var s = SideOf(side);
        int n = Math.Clamp(s.LevelCount - skip, 0, dest.Length);
        for (int r = 0; r < n; r++)
        {
            ref var l = ref _levels[s.AtRank(skip + r)];
            dest[r] = new LevelView(l.Price, l.TotalQuantity, l.Count);
        }
        return n;
    }

    /// <summary>L3: copies up to <c>dest.Length</c> orders of a side in priority order (best level first, FIFO within); returns how many.</summary>
    public int CopyOrders(Side side, Span<OrderView> dest)
    {
        var s = SideOf(side);
        int n = 0;
        for (int r = 0; r < s.LevelCount && n < dest.Length; r++)
        {
            for (int o = _levels[s.AtRank(r)].Head; o >= 0 && n < dest.Length; o = _orders[o].Next)
            {
                ref var ord = ref _orders[o];
                dest[n++] = new OrderView(ord.Id, ord.Account, ord.Side, ord.Price, ord.Remaining);
            }
        }
        return n;
    }

    /// <summary>
    /// Every resting order of a side with all its fields, in priority order (best level first, FIFO within). For state
    /// hashing and snapshots; allocates, so not for the hot path.
    /// </summary>
    public List<RestingOrder> OrdersInPriority(Side side)
    {
        var s = SideOf(side);
        var list = new List<RestingOrder>();
        for (int r = 0; r < s.LevelCount; r++)
            for (int o = _levels[s.AtRank(r)].Head; o >= 0; o = _orders[o].Next)
                list.Add(_orders[o]);
        return list;
    }

    /// <summary>Number of levels on a side.</summary>
    public int LevelCount(Side side) => SideOf(side).LevelCount;
}

/// <summary>One aggregated price level: price in ticks, total quantity in lots, number of orders.</summary>
public readonly record struct LevelView(long Price, long Quantity, int OrderCount);

/// <summary>One resting order as seen in an L3 query.</summary>
public readonly record struct OrderView(long OrderId, int Account, Side Side, long Price, long Remaining);
