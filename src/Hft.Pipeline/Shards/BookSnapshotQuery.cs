using Hft.Core.Book;
using Hft.Core.Orders;

namespace Hft.Pipeline.Shards;

/// <summary>A consistent copy of one book (L2 levels and, when asked, L3 orders), taken on the owning shard's thread.</summary>
public sealed class BookSnapshotQuery : IShardQuery
{
    private readonly int _instrument;
    private readonly int _depth;
    private readonly int _maxOrders;
    private readonly TaskCompletionSource<BookSnapshot> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="maxOrdersPerSide">Level 3: at most this many orders of each side, best first (0: level 2 only). The
    /// shard thread copies one more to tell whether there were more; it never walks further.</param>
    public BookSnapshotQuery(int instrument, int depth, int maxOrdersPerSide = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxOrdersPerSide);
        _instrument = instrument;
        _depth = depth;
        _maxOrders = maxOrdersPerSide;
    }

    public Task<BookSnapshot> Task => _done.Task;

    public void Run(MatchingShard shard)
    {
        var book = shard.Engine.Book(_instrument);
        if (book is null)
        {
            _done.TrySetResult(new BookSnapshot([], [], [], [], false));
            return;
        }
        var bids = new LevelView[Math.Min(_depth, book.LevelCount(Side.Buy))];
        var asks = new LevelView[Math.Min(_depth, book.LevelCount(Side.Sell))];
        book.CopyLevels(Side.Buy, bids);
        book.CopyLevels(Side.Sell, asks);
        OrderView[] bidOrders = [], askOrders = [];
        bool truncated = false;
        if (_maxOrders > 0)
        {
            bidOrders = Orders(book, Side.Buy, ref truncated);
            askOrders = Orders(book, Side.Sell, ref truncated);
        }
        _done.TrySetResult(new BookSnapshot(bids, asks, bidOrders, askOrders, truncated));
    }

    private OrderView[] Orders(Hft.Core.Book.OrderBook book, Side side, ref bool truncated)
    {
        var orders = new OrderView[Math.Min(book.OrderCount, _maxOrders + 1)];
        int n = book.CopyOrders(side, orders);
        if (n <= _maxOrders) return n == orders.Length ? orders : orders[..n];
        truncated = true;
        return orders[.._maxOrders];
    }
}

/// <summary>A book's levels and (level 3) orders; <c>Truncated</c>: a side had more orders than the query's maximum.</summary>
public sealed record BookSnapshot(LevelView[] Bids, LevelView[] Asks, OrderView[] BidOrders, OrderView[] AskOrders, bool Truncated);
