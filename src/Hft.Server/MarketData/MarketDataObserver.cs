using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline;

namespace Hft.Server.MarketData;

/// <summary>What the shard thread hands to the publisher: an event copy, a rested order, a command end, or a book seed.</summary>
internal enum MdKind : byte { Event, Rest, End, Seed }

internal struct MdItem
{
    public MdKind Kind;
    public EngineEvent Event;
    public int Instrument;
    public OrderView[]? Orders;
}

/// <summary>
/// Copies the market-data relevant events of each command, on the shard thread, into a bounded queue the
/// <see cref="MarketDataPublisher"/> drains. Never blocks: a command whose items do not fit is dropped and its
/// instruments flagged, so the publisher reseeds those books and tells their subscribers to resync.
/// </summary>
public sealed class MarketDataObserver : IPipelineObserver
{
    private readonly object _gate = new();
    private readonly int _capacity;
    private int[] _lost = [];
    private List<MdItem> _items = new();
    private long _dropped;

    public MarketDataObserver(int capacity = 65_536) => _capacity = capacity;

    /// <summary>Sizes the per-instrument loss flags; called once the pipeline knows its instruments, before it starts.</summary>
    internal void Attach(int instruments) => _lost = new int[instruments];

    /// <summary>Commands dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void OnProcessed(int shard, in OrderCommand command, ReadOnlySpan<EngineEvent> events, in StageTimestamps timestamps)
    {
        int relevant = 0;
        foreach (ref readonly var e in events)
            if (e.Kind != EventKind.Rejected) relevant++;
        if (relevant == 0) return;
        lock (_gate)
        {
            if (_items.Count + relevant * 2 + 1 > _capacity)
            {
                _dropped++;
                foreach (ref readonly var e in events)
                    if (e.Instrument >= 0 && e.Instrument < _lost.Length) Volatile.Write(ref _lost[e.Instrument], 1);
                return;
            }
            foreach (ref readonly var e in events)
                if (e.Kind != EventKind.Rejected) _items.Add(new MdItem { Kind = MdKind.Event, Event = e, Instrument = e.Instrument });
            // an accepted order rested with what its own trades left, unless it was canceled in the same command
            foreach (ref readonly var e in events)
            {
                if (e.Kind != EventKind.Accepted || e.Price <= 0) continue;
                long remaining = e.Quantity;
                bool canceled = false;
                foreach (ref readonly var f in events)
                {
                    if (f.Kind == EventKind.Trade && f.OrderId == e.OrderId) remaining = Math.Min(remaining, f.Remaining);
                    else if (f.Kind == EventKind.Canceled && f.OrderId == e.OrderId) canceled = true;
                }
                if (canceled || remaining <= 0) continue;
                var rest = e;
                rest.Quantity = remaining;
                _items.Add(new MdItem { Kind = MdKind.Rest, Event = rest, Instrument = e.Instrument });
            }
            _items.Add(new MdItem { Kind = MdKind.End, Instrument = -1 });
        }
    }

    /// <summary>On the shard thread (from <see cref="SeedQuery"/>): the full book, ordered with the events around it.</summary>
    internal void EnqueueSeed(int instrument, OrderView[] orders)
    {
        lock (_gate) _items.Add(new MdItem { Kind = MdKind.Seed, Instrument = instrument, Orders = orders });
    }

    /// <summary>Publisher: swaps the queue out (the returned list is handed back with <paramref name="spare"/> next time).</summary>
    internal List<MdItem> Take(List<MdItem> spare)
    {
        spare.Clear();
        lock (_gate)
        {
            var full = _items;
            _items = spare;
            return full;
        }
    }

    /// <summary>Publisher: whether items of the instrument were dropped since the last call (and clears the flag).</summary>
    internal bool TakeLost(int instrument) => instrument < _lost.Length && Interlocked.Exchange(ref _lost[instrument], 0) != 0;
}

/// <summary>Copies one book's resting orders on its shard thread and hands them to the observer's queue in order.</summary>
internal sealed class SeedQuery(MarketDataObserver observer, int instrument) : IShardQuery
{
    public void Run(MatchingShard shard)
    {
        var book = shard.Engine.Book(instrument);
        if (book is null)
        {
            observer.EnqueueSeed(instrument, []);
            return;
        }
        var buffer = new OrderView[book.OrderCount];
        int n = book.CopyOrders(Hft.Core.Orders.Side.Buy, buffer);
        n += book.CopyOrders(Hft.Core.Orders.Side.Sell, buffer.AsSpan(n));
        observer.EnqueueSeed(instrument, buffer[..n]);
    }
}
