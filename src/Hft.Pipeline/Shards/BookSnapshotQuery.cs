using Hft.Core.Book;
using Hft.Core.Orders;

namespace Hft.Pipeline.Shards;

/// <summary>A consistent copy of one book (L2 levels and, when asked, L3 orders), taken on the owning shard's thread.</summary>
public sealed class BookSnapshotQuery : IShardQuery
{
    private readonly int _instrument;
    private readonly int _depth;
    private readonly bool _orders;
    private readonly TaskCompletionSource<BookSnapshot> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BookSnapshotQuery(int instrument, int depth, bool orders)
    {
        _instrument = instrument;
        _depth = depth;
        _orders = orders;
    }

    public Task<BookSnapshot> Task => _done.Task;

    public void Run(MatchingShard shard)
    {
        var book = shard.Engine.Book(_instrument);
        if (book is null)
        {
            _done.TrySetResult(new BookSnapshot([], [], [], []));
            return;
        }
        var bids = new LevelView[Math.Min(_depth, book.LevelCount(Side.Buy))];
        var asks = new LevelView[Math.Min(_depth, book.LevelCount(Side.Sell))];
        book.CopyLevels(Side.Buy, bids);
        book.CopyLevels(Side.Sell, asks);
        OrderView[] bidOrders = [], askOrders = [];
        if (_orders)
        {
            bidOrders = new OrderView[Math.Min(book.OrderCount, 100_000)];
            askOrders = new OrderView[Math.Min(book.OrderCount, 100_000)];
            bidOrders = bidOrders[..book.CopyOrders(Side.Buy, bidOrders)];
            askOrders = askOrders[..book.CopyOrders(Side.Sell, askOrders)];
        }
        _done.TrySetResult(new BookSnapshot(bids, asks, bidOrders, askOrders));
    }
}

public sealed record BookSnapshot(LevelView[] Bids, LevelView[] Asks, OrderView[] BidOrders, OrderView[] AskOrders);
