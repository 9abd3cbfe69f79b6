using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Orders;
using Hft.Core.Matching;
using Hft.Pipeline;
using Hft.Pipeline.Durability;
using Hft.Pipeline.Shards;
using Hft.Pipeline.State;

namespace Hft.Server.MarketData;

/// <summary>What the shard thread hands to the publisher: an event copy, a rested order, a command end, or a book seed.</summary>
internal enum MdKind : byte { Event, Rest, End, Seed }

internal struct MdItem
{
    public MdKind Kind;
    public EngineEvent Event;
    public int Instrument;
    public OrderView[]? Orders;

    /// <summary>End: the journal record of the command (its items are published once it is durable).</summary>
    public long Sequence;

    /// <summary>Event of a trade: its id on the <see cref="TradeTape"/> (0 without a tape).</summary>
    public long TradeId;
}

/// <summary>
/// Copies the market-data relevant events of each command, on the processing thread, into a bounded queue the
/// <see cref="MarketDataPublisher"/> drains - only as far as the journal is durable: public market data never shows a
/// trade or an order a crash could still take back (the same rule as every acknowledgment, through the same outbox).
/// Never blocks: a command whose items do not fit is dropped and its instruments flagged, so the publisher reseeds
/// those books and tells their subscribers to resync. Wakes the publisher as soon as there is something it may publish:
/// at once when a command's items are already durable, else when the outbox says they became durable.
/// </summary>
public sealed class MarketDataObserver : IPipelineObserver, IDurableWaiter
{
    private readonly object _gate = new();
    private readonly int _capacity;
    private int[] _lost = [];
    private List<MdItem> _items = new();
    private DurableOutbox? _outbox;
    private long _dropped;
    private Action? _wake;
    private int _armed; // 1 while an outbox wake-up is registered: one is enough, each wake-up takes all that is due

    // Live icebergs: a trade against one reports its total remaining, not the slice the book shows, so the mirror of
    // their book is reseeded from the engine instead of being patched (as after a refresh or a fired stop).
    private readonly HashSet<long> _icebergs = new();

    private readonly TradeTape? _tape;

    /// <param name="capacity">Items queued for the publisher at most.</param>
    /// <param name="tape">The trade tape, observing each command before this observer: trades carry its ids.</param>
    public MarketDataObserver(int capacity = 65_536, TradeTape? tape = null)
    {
        _capacity = capacity;
        _tape = tape;
    }

    /// <summary>Sizes the per-instrument loss flags and knows the outbox; called once the pipeline is built, before it starts.</summary>
    internal void Attach(int instruments, DurableOutbox outbox, Action? wake = null)
    {
        _lost = new int[instruments];
        _outbox = outbox;
        _wake = wake;
    }

    /// <summary>Wakes the publisher once <paramref name="sequence"/> is durable (at once when it already is).</summary>
    internal void WakeWhenDurable(long sequence)
    {
        if (_outbox is null || _outbox.IsDurable(sequence))
        {
            _wake?.Invoke();
            return;
        }
        if (Interlocked.CompareExchange(ref _armed, 1, 0) == 0) _outbox.WhenDurable(sequence, this);
    }

    void IDurableWaiter.OnDurable(bool failed)
    {
        Volatile.Write(ref _armed, 0); // before waking: the publisher re-arms for what is still pending
        _wake?.Invoke();
    }

    /// <summary>Commands dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void OnProcessed(int shard, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence, in StageTimestamps timestamps)
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
            long tradeId = _tape?.FirstTradeId(shard) ?? 0; // the tape numbered this command's trades in event order
            foreach (ref readonly var e in events)
            {
                if (e.Kind == EventKind.Rejected) continue;
                long id = e.Kind == EventKind.Trade && tradeId != 0 ? tradeId++ : 0;
                _items.Add(new MdItem { Kind = MdKind.Event, Event = e, Instrument = e.Instrument, TradeId = id });
            }
            if (ReshapesBook(in command, events) is int reseed and >= 0 && reseed < _lost.Length) Volatile.Write(ref _lost[reseed], 1);
            // an accepted order rested with what its own trades left, unless it was canceled in the same command
            foreach (ref readonly var e in events)
            {
                if (e.Kind != EventKind.Accepted || e.Price <= 0 || command.Type.IsTriggered()) continue;
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
            _items.Add(new MdItem { Kind = MdKind.End, Instrument = -1, Sequence = sequence });
        }
        WakeWhenDurable(sequence);
    }

    /// <summary>
    /// The instrument whose mirrored book the events cannot be replayed onto (an iceberg traded, refreshed, entered or
    /// left; a stop fired and entered the book): it is reseeded. -1 when the events patch the mirror exactly.
    /// </summary>
    private int ReshapesBook(in OrderCommand command, ReadOnlySpan<EngineEvent> events)
    {
        int reseed = -1;
        foreach (ref readonly var e in events)
        {
            if (e.Kind == EventKind.Accepted && command.DisplayQuantity > 0) _icebergs.Add(e.OrderId);
            bool iceberg = _icebergs.Contains(e.OrderId) || (e.Kind == EventKind.Trade && _icebergs.Contains(e.MakerOrderId));
            if (iceberg || e.Kind is EventKind.Triggered or EventKind.Refreshed) reseed = e.Instrument;
            if (e.Kind == EventKind.Canceled || (e.Kind == EventKind.Trade && e.Remaining == 0)) _icebergs.Remove(e.OrderId);
            if (e.Kind == EventKind.Trade && e.MakerRemaining == 0) _icebergs.Remove(e.MakerOrderId);
        }
        return reseed;
    }

    /// <summary>On the shard thread (from <see cref="SeedQuery"/>): the full book, ordered with the events around it.</summary>
    internal void EnqueueSeed(int instrument, OrderView[] orders)
    {
        lock (_gate) _items.Add(new MdItem { Kind = MdKind.Seed, Instrument = instrument, Orders = orders });
        _wake?.Invoke();
    }

    /// <summary>
    /// Publisher: takes the queued items of the commands that are durable, in order (the returned list is handed back
    /// with <paramref name="spare"/> next time); the rest stay queued, behind the first command not durable yet, whose
    /// sequence is <paramref name="pending"/> (0: none).
    /// </summary>
    internal List<MdItem> Take(List<MdItem> spare, out long pending)
    {
        spare.Clear();
        pending = 0;
        lock (_gate)
        {
            var full = _items;
            int cut = 0; // after the last durable command (or a seed right after it), scanning in order
            for (int i = 0; i < full.Count; i++)
            {
                var kind = full[i].Kind;
                if (kind == MdKind.End)
                {
                    if (_outbox is not null && !_outbox.IsDurable(full[i].Sequence))
                    {
                        pending = full[i].Sequence;
                        break;
                    }
                    cut = i + 1;
                }
                else if (kind == MdKind.Seed && cut == i) cut = i + 1;
            }
            for (int i = cut; i < full.Count; i++) spare.Add(full[i]);
            if (cut < full.Count) full.RemoveRange(cut, full.Count - cut);
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
