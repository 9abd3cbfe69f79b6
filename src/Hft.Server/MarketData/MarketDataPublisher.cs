using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Orders;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Microsoft.Extensions.Hosting;

namespace Hft.Server.MarketData;

public enum Channel { Trades, Level2, Ticker, Status, Level3 }

/// <summary>
/// The market data publisher: one background thread, off the matching threads, that drains the
/// <see cref="MarketDataObserver"/> queue, keeps a mirror L2 book per instrument, and fans out trades, level2 updates
/// (consecutive <c>seq</c> per symbol), tickers, halt status and heartbeats to the subscribed <see cref="WsConnection"/>s.
/// Subscriptions are applied on this thread too, so a level2 snapshot is consistent with the updates that follow.
/// </summary>
public sealed partial class MarketDataPublisher : IHostedService, IDisposable
{
    private readonly TradingPipeline _pipeline;
    private readonly MarketDataObserver _observer;
    private readonly ConcurrentQueue<Action> _control = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Action _signalWake;
    private readonly HashSet<WsConnection> _connections = new();
    private readonly List<WsConnection> _queuedTo = new();
    private readonly Dictionary<(Channel, int), HashSet<WsConnection>> _subscribers = new();
    private readonly MirrorBook[] _books;
    private readonly bool[] _seedPending;
    private readonly bool[] _seedInFlight;
    private readonly bool[] _halted;
    private readonly bool[] _touched;
    private readonly bool[] _traded;
    private readonly long[] _tradeSeq;
    private readonly long[] _last;
    private readonly RollingDay[] _day;
    private readonly byte[]?[] _lastTicker;
    private Thread? _thread;
    private volatile bool _stopping;
    private long _overflowNotices, _slowConflations;
    private readonly AccountEventHub? _accountEvents;
    private readonly OrderDirectory? _directory;
    private readonly Binary.BinaryFeed? _binary;

    public MarketDataPublisher(TradingPipeline pipeline, MarketDataObserver observer, MarketDataOptions options,
        AccountEventHub? accountEvents = null, OrderDirectory? directory = null, Binary.BinaryFeed? binaryFeed = null)
    {
        _binary = binaryFeed;
        _pipeline = pipeline;
        _observer = observer;
        _accountEvents = accountEvents;
        _directory = directory;
        _signalWake = SignalWake;
        observer.Attach(pipeline.Instruments.Count, pipeline.Outbox, _signalWake);
        Options = options;
        int n = pipeline.Instruments.Count;
        _books = new MirrorBook[n];
        _day = new RollingDay[n];
        for (int i = 0; i < n; i++)
        {
            _books[i] = new MirrorBook();
            _day[i] = new RollingDay();
        }
        _seedPending = new bool[n];
        _seedInFlight = new bool[n];
        _halted = new bool[n];
        _touched = new bool[n];
        _traded = new bool[n];
        _tradeSeq = new long[n];
        _last = new long[n];
        _lastTicker = new byte[]?[n];
        _conflatedByInstrument = new List<ConflatedLevel2>[n];
        for (int i = 0; i < n; i++) _conflatedByInstrument[i] = new List<ConflatedLevel2>();
    }

    public MarketDataOptions Options { get; }

    public InstrumentRegistry Instruments => _pipeline.Instruments;

    public AccountRegistry Accounts => _pipeline.Accounts;

    private int _openConnections;

    /// <summary>Open /ws connections of this server.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Counts a new connection; false (and not counted) when <see cref="MarketDataOptions.MaxConnections"/> are open.</summary>
    public bool TryOpenConnection()
    {
        if (Interlocked.Increment(ref _openConnections) <= Options.MaxConnections) return true;
        Interlocked.Decrement(ref _openConnections);
        return false;
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);

    /// <summary>Messages and bytes in and out of the /ws connections.</summary>
    public WsTraffic Traffic { get; } = new();

    /// <summary>Resync notices sent to slow consumers (send queue overflows).</summary>
    public long OverflowNotices => Interlocked.Read(ref _overflowNotices);

    /// <summary>Level2 subscriptions moved to conflated updates because their connection's send queue was half full.</summary>
    public long SlowConsumerConflations => Interlocked.Read(ref _slowConflations);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (int i = 0; i < _books.Length; i++)
        {
            _halted[i] = _pipeline.RiskBook.Instrument(i)?.Halted ?? false;
        }
        // the binary feed publishes every book and status from the start (the WebSocket channels seed a book lazily)
        if (_binary is not null)
            Post(() =>
            {
                for (int i = 0; i < _books.Length; i++)
                {
                    _binary.Status(i, _halted[i]);
                    if (!_books[i].Ready && !_seedInFlight[i]) RequestSeed(i);
                }
            });
        _thread = new Thread(Run) { IsBackground = true, Name = "hft-marketdata" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _wake.Set();
        if (_thread is null || _thread.Join(TimeSpan.FromSeconds(5))) _binary?.End();
        foreach (var c in _connections) c.Abort();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        if (_thread is null || _thread.Join(TimeSpan.FromSeconds(5))) _wake.Dispose();
    }

    // ---- called from connection threads: applied on the publisher thread ----------------------------------------

    internal void Post(Action action)
    {
        _control.Enqueue(action);
        _wake.Set();
    }

    /// <summary>Something to publish (from a shard thread or the journal's): a no-op while the publisher is awake anyway.</summary>
    private void SignalWake()
    {
        if (!_stopping && !_wake.IsSet) _wake.Set();
    }

    private volatile WsConnection[] _connectionSnapshot = [];

    public void Register(WsConnection c) => Post(() =>
    {
        _connections.Add(c);
        _connectionSnapshot = [.. _connections];
    });

    /// <summary>The longest send queue of any open connection (bounded by the send queue limit plus resync notices).</summary>
    public int MaxQueued()
    {
        int max = 0;
        foreach (var c in _connectionSnapshot) max = Math.Max(max, c.Queued);
        return max;
    }

    public void Unregister(WsConnection c) => Post(() =>
    {
        _connections.Remove(c);
        _connectionSnapshot = [.. _connections];
        DropSubscriptions(c);
        DropUserStreams(c);
    });

    /// <summary>Subscribes to a public channel; <paramref name="conflateMs"/> (level2 only, validated by the caller) batches updates.</summary>
    public void Subscribe(WsConnection c, Channel channel, Instrument inst, int conflateMs = 0) => Post(() =>
    {
        Interlocked.Decrement(ref c.PendingRequests);
        var key = (channel, inst.Index);
        if (!_connections.Contains(c)) return;
        if (c.Subscriptions.Contains(key))
        {
            Send(c, Error("already_subscribed", $"already subscribed to {Name(channel)} {inst.Symbol}"), channel, inst);
            return;
        }
        if (SubscriptionCount(c) >= Options.MaxSubscriptions)
        {
            Send(c, Error("too_many_subscriptions", $"a connection may hold {Options.MaxSubscriptions} subscriptions"), channel, inst);
            return;
        }
        c.Subscriptions.Add(key);
        if (channel == Channel.Level2 && conflateMs > 0)
            AddConflated(c, inst.Index, conflateMs);
        else
        {
            if (!_subscribers.TryGetValue(key, out var set)) _subscribers[key] = set = new HashSet<WsConnection>();
            set.Add(c);
        }
        // the mirror book is seeded lazily, when the first level2, level3 or ticker subscriber needs it
        if (channel is Channel.Level2 or Channel.Ticker or Channel.Level3 && !_books[inst.Index].Ready && !_seedInFlight[inst.Index]) RequestSeed(inst.Index);
        Send(c, Message(w =>
        {
            w.WriteString("op", "subscribed");
            w.WriteString("channel", Name(channel));
            w.WriteString("symbol", inst.Symbol);
            if (channel == Channel.Level2) w.WriteNumber("conflate_ms", conflateMs);
        }), channel, inst);
        switch (channel)
        {
            case Channel.Level2 when _books[inst.Index].Ready:
                Send(c, Snapshot(inst), channel, inst);
                break;
            case Channel.Level3 when _books[inst.Index].Ready:
                Send(c, Level3Snapshot(inst), channel, inst);
                break;
            case Channel.Ticker:
                Send(c, Ticker(inst), channel, inst);
                break;
            case Channel.Status:
                Send(c, Status(inst), channel, inst);
                break;
        }
    });

    public void Unsubscribe(WsConnection c, Channel channel, Instrument inst) => Post(() =>
    {
        Interlocked.Decrement(ref c.PendingRequests);
        var key = (channel, inst.Index);
        bool was = c.Subscriptions.Remove(key);
        if (_subscribers.TryGetValue(key, out var set)) set.Remove(c);
        if (channel == Channel.Level2) RemoveConflated(c, inst.Index);
        Send(c, was
            ? Message(w => { w.WriteString("op", "unsubscribed"); w.WriteString("channel", Name(channel)); w.WriteString("symbol", inst.Symbol); })
            : Error("not_subscribed", $"not subscribed to {Name(channel)} {inst.Symbol}"), channel, inst);
    });

    // ---- the publisher thread -----------------------------------------------------------------------------------

    private void Run()
    {
        try
        {
            Loop();
        }
        catch (ObjectDisposedException) when (_stopping)
        {
            // the host disposed what the publisher was using (a server disposed without a graceful stop): just end
        }
    }

    private void Loop()
    {
        var spare = new List<MdItem>();
        long lastPoll = 0, lastBeat = Stopwatch.GetTimestamp();
        long pollTicks = Stopwatch.Frequency / 10;
        while (!_stopping)
        {
            _wake.Reset();
            bool busy = false;
            for (int k = 0; k < 10_000 && _control.TryDequeue(out var action); k++)
            {
                action();
                busy = true;
            }
            var items = _observer.Take(spare, out long pending);
            if (items.Count > 0) busy = true;
            if (pending != 0) _observer.WakeWhenDurable(pending);
            Process(items);
            _binary?.Pump(); // first out: what this pass published leaves in as few packets as fit (a heartbeat when idle)
            spare = items;
            busy |= PumpUserStreams();
            PumpConflated();
            for (int i = 0; i < _books.Length; i++)
            {
                if (_observer.TakeLost(i)) Lost(i);
                if (_seedPending[i] && Stopwatch.GetTimestamp() - lastPoll >= pollTicks) RequestSeed(i);
            }
            long now = Stopwatch.GetTimestamp();
            if (now - lastPoll >= pollTicks)
            {
                lastPoll = now;
                PollStatus();
                CloseLapsedConnections(now);
            }
            if (Stopwatch.GetElapsedTime(lastBeat, now) >= Options.Heartbeat)
            {
                lastBeat = now;
                var beat = Message(w => { w.WriteString("op", "heartbeat"); w.WriteString("time", DateTimeOffset.UtcNow); });
                foreach (var c in _connections.ToList()) Send(c, beat, null, null);
            }
            WakeQueued();
            _binary?.Pump(); // statuses this pass polled
            // events and requests wake the loop at once; the timeout only paces conflation, status polls and heartbeats
            if (!busy) _wake.Wait(5);
        }
    }

    private void Process(List<MdItem> items)
    {
        foreach (var item in items)
        {
            var e = item.Event;
            switch (item.Kind)
            {
                case MdKind.Seed when item.Instrument < _books.Length:
                    _seedInFlight[item.Instrument] = false;
                    _books[item.Instrument].Seed(item.Orders!);
                    _binary?.Seed(item.Instrument, item.Orders!);
                    var inst0 = _pipeline.Instruments[item.Instrument];
                    Broadcast(Channel.Level2, inst0, Snapshot(inst0));
                    ResetConflated(item.Instrument);
                    Broadcast(Channel.Level3, inst0, Level3Snapshot(inst0));
                    Flush(item.Instrument); // the ticker, if the best prices moved
                    break;
                case MdKind.Rest when e.Instrument >= 0 && e.Instrument < _books.Length:
                    if (_books[e.Instrument].Ready) _books[e.Instrument].Add(e.OrderId, e.Side, e.Price, e.Quantity);
                    _touched[e.Instrument] = true;
                    break;
                case MdKind.End:
                    for (int i = 0; i < _touched.Length; i++)
                        if (_touched[i]) Flush(i);
                    break;
                case MdKind.Event when e.Instrument >= 0 && e.Instrument < _books.Length:
                    var book = _books[e.Instrument];
                    _touched[e.Instrument] = true;
                    if (e.Kind == EventKind.Trade) PublishTrade(e, item.TradeId);
                    if (!book.Ready) break; // not mirrored (no subscriber yet, or waiting for a reseed): the seed replaces it all
                    switch (e.Kind)
                    {
                        case EventKind.Trade:
                            book.SetRemaining(e.MakerOrderId, e.MakerRemaining);
                            book.SetRemaining(e.OrderId, e.Remaining);
                            break;
                        case EventKind.Canceled:
                            book.SetRemaining(e.OrderId, 0);
                            break;
                        case EventKind.Replaced:
                            book.Replace(e.OrderId, e.Price, e.Quantity);
                            break;
                    }
                    break;
            }
        }
    }

    private void PublishTrade(in EngineEvent e, long tradeId)
    {
        var inst = _pipeline.Instruments[e.Instrument];
        long seq = ++_tradeSeq[e.Instrument];
        _last[e.Instrument] = e.Price;
        _day[e.Instrument].Add(e.Price, e.Quantity, Options.Clock.GetUtcNow());
        _traded[e.Instrument] = true;
        _binary?.Trade(e, tradeId);
        if (!Wanted(Channel.Trades, inst)) return; // nobody to tell: keep the state, format nothing
        long price = e.Price, qty = e.Quantity;
        var side = e.Side;
        Broadcast(Channel.Trades, inst, Message(w =>
        {
            w.WriteString("channel", "trades");
            w.WriteString("symbol", inst.Symbol);
            if (tradeId != 0) w.WriteNumber("tradeId", tradeId); // the id GET /trades/{symbol} and GET /trades show
            w.WriteString("price", inst.FormatPrice(price));
            w.WriteString("qty", inst.FormatQuantity(qty));
            w.WriteString("takerSide", side == Side.Buy ? "buy" : "sell");
            w.WriteNumber("seq", seq);
            w.WriteString("time", DateTimeOffset.UtcNow);
        }));
    }

    /// <summary>End of a command: one level2 update (next seq) with the levels it changed, and the ticker if it moved.</summary>
    private void Flush(int i)
    {
        _touched[i] = false;
        var book = _books[i];
        var inst = _pipeline.Instruments[i];
        if (book.Ready && book.HasChanges && book.TakeChanges() is { Count: > 0 } changes)
        {
            long seq = ++book.Sequence;
            NoteConflated(i, changes);
            if (Wanted(Channel.Level2, inst))
            {
                BroadcastLevel2Update(inst, Message(w =>
                {
                    w.WriteString("channel", "level2");
                    w.WriteString("symbol", inst.Symbol);
                    w.WriteString("type", "update");
                    w.WriteNumber("seq", seq);
                    w.WriteNumber("prevSeq", seq - 1);
                    foreach (var side in new[] { Side.Buy, Side.Sell })
                    {
                        w.WriteStartArray(side == Side.Buy ? "bids" : "asks");
                        foreach (var c in changes)
                            if (c.Side == side) WriteLevel(w, inst, c.Price, c.Qty, c.Count);
                        w.WriteEndArray();
                    }
                }));
            }
        }
        if (book.Ready && book.HasOrderChanges) FlushLevel3(inst, book);
        bool traded = _traded[i];
        _traded[i] = false;
        if (!Wanted(Channel.Ticker, inst)) return;
        var ticker = Ticker(inst);
        var text = ticker.Payload.Span;
        if (traded || _lastTicker[i] is not { } last || !text.SequenceEqual(last))
        {
            _lastTicker[i] = text.ToArray();
            Broadcast(Channel.Ticker, inst, ticker);
        }
    }

    private void Lost(int i)
    {
        var inst = _pipeline.Instruments[i];
        bool wanted = _books[i].Ready || _seedInFlight[i] || _seedPending[i];
        _books[i].Invalidate();
        foreach (var channel in new[] { Channel.Level2, Channel.Trades, Channel.Level3 })
            Broadcast(channel, inst, Resync(channel, inst, $"the publisher fell behind the matching engine; a {(channel == Channel.Level3 ? "level3" : "level2")} snapshot follows"));
        if (wanted) RequestSeed(i);
    }

    private void RequestSeed(int i)
    {
        // retried from the loop when the shard's queue is full
        _seedPending[i] = !_pipeline.Query(_pipeline.ShardOf(i).Index, new SeedQuery(_observer, i));
        _seedInFlight[i] |= !_seedPending[i];
    }

    private void PollStatus()
    {
        for (int i = 0; i < _halted.Length; i++)
        {
            bool halted = _pipeline.RiskBook.Instrument(i)?.Halted ?? false;
            if (halted == _halted[i]) continue;
            _halted[i] = halted;
            _binary?.Status(i, halted);
            var inst = _pipeline.Instruments[i];
            Broadcast(Channel.Status, inst, Status(inst));
        }
    }

    // ---- fan-out with slow-consumer handling ----------------------------------------------------------------------

    /// <summary>Whether anyone would receive a message of the channel for the instrument (formatting is skipped otherwise).</summary>
    private bool Wanted(Channel channel, Instrument inst)
        => (_subscribers.TryGetValue((channel, inst.Index), out var set) && set.Count > 0)
            || (channel == Channel.Level2 && _conflatedByInstrument[inst.Index].Count > 0);

    private void Broadcast(Channel channel, Instrument inst, WsFrame message)
    {
        List<WsConnection>? slow = null;
        if (channel == Channel.Level2)
            foreach (var sub in _conflatedByInstrument[inst.Index])
                if (!Queue(sub.Connection, message)) (slow ??= new()).Add(sub.Connection);
        if (_subscribers.TryGetValue((channel, inst.Index), out var set))
            foreach (var c in set)
                if (!Queue(c, message)) (slow ??= new()).Add(c);
        if (slow is null) return;
        foreach (var c in slow) SlowConsumer(c, channel, inst);
    }

    /// <summary>
    /// Queues a frame without waking the connection's send loop: each connection queued to is woken once per pass of
    /// the loop (<see cref="WakeQueued"/>), so a command's trade and level2 update leave in one write, and a busy
    /// publisher wakes each connection once per batch of commands rather than once per message.
    /// </summary>
    private bool Queue(WsConnection c, WsFrame message) => Queue(c, message, out _);

    private bool Queue(WsConnection c, WsFrame message, out int queued)
    {
        if (!c.TryQueue(message, out queued)) return false;
        if (!c.WakePending)
        {
            c.WakePending = true;
            _queuedTo.Add(c);
        }
        return true;
    }

    private void WakeQueued()
    {
        foreach (var c in _queuedTo)
        {
            c.WakePending = false;
            c.Wake();
        }
        _queuedTo.Clear();
    }

    private void Send(WsConnection c, WsFrame message, Channel? channel, Instrument? inst)
    {
        if (!Queue(c, message)) SlowConsumer(c, channel, inst);
    }

    /// <summary>
    /// A full send queue: queued messages are dropped, public subscriptions end (their continuity is lost: resubscribe),
    /// user-channel subscriptions stay and get a resync notice (re-read orders over REST, the stream goes on).
    /// </summary>
    private void SlowConsumer(WsConnection c, Channel? channel, Instrument? inst)
    {
        if (c.CloseReason is not null) return; // already being closed
        bool hadPublic = c.Subscriptions.Count > 0 || c.UserStreams.Count == 0;
        DropSubscriptions(c);
        Interlocked.Increment(ref _overflowNotices);
        var notices = new List<WsFrame>();
        if (hadPublic)
            notices.Add(Message(w =>
            {
                if (channel is { } ch) w.WriteString("channel", Name(ch));
                w.WriteString("type", "resync");
                if (inst is not null) w.WriteString("symbol", inst.Symbol);
                w.WriteString("reason", "slow_consumer");
                w.WriteString("message", "the send buffer overflowed; queued messages were dropped and every market data subscription ended: resubscribe");
            }));
        foreach (var stream in c.UserStreams.Values)
        {
            Interlocked.Increment(ref _userResyncs);
            stream.Resyncs++;
            notices.Add(UserResync(stream, "the send buffer overflowed"));
        }
        c.Overflow([.. notices]);
    }

    private void DropSubscriptions(WsConnection c)
    {
        foreach (var key in c.Subscriptions)
        {
            if (_subscribers.TryGetValue(key, out var set)) set.Remove(c);
            if (key.Channel == Channel.Level2) RemoveConflated(c, key.Instrument);
        }
        c.Subscriptions.Clear();
    }

    // ---- messages ---------------------------------------------------------------------------------------------------

    public static string Name(Channel c) => c switch
    {
        Channel.Trades => "trades",
        Channel.Level2 => "level2",
        Channel.Ticker => "ticker",
        Channel.Level3 => "level3",
        _ => "status",
    };

    public static bool TryParseChannel(string? name, out Channel channel)
    {
        channel = name switch { "trades" => Channel.Trades, "level2" => Channel.Level2, "ticker" => Channel.Ticker, "status" => Channel.Status, "level3" => Channel.Level3, _ => (Channel)(-1) };
        return (int)channel >= 0;
    }

    private WsFrame Snapshot(Instrument inst)
    {
        var book = _books[inst.Index];
        return Message(w =>
        {
            w.WriteString("channel", "level2");
            w.WriteString("symbol", inst.Symbol);
            w.WriteString("type", "snapshot");
            w.WriteNumber("seq", book.Sequence);
            foreach (var side in new[] { Side.Buy, Side.Sell })
            {
                w.WriteStartArray(side == Side.Buy ? "bids" : "asks");
                foreach (var l in book.Levels(side)) WriteLevel(w, inst, l.Key, l.Value.Qty, l.Value.Count);
                w.WriteEndArray();
            }
        });
    }

    private WsFrame Ticker(Instrument inst)
    {
        var book = _books[inst.Index];
        var bid = book.Best(Side.Buy);
        var ask = book.Best(Side.Sell);
        long last = _last[inst.Index];
        var day = Day(inst.Index);
        return Message(w =>
        {
            w.WriteString("channel", "ticker");
            w.WriteString("symbol", inst.Symbol);
            WriteOptional(w, "bid", bid is { } b ? inst.FormatPrice(b.Price) : null);
            WriteOptional(w, "bidQty", bid is { } bq ? inst.FormatQuantity(bq.Qty) : null);
            WriteOptional(w, "ask", ask is { } a ? inst.FormatPrice(a.Price) : null);
            WriteOptional(w, "askQty", ask is { } aq ? inst.FormatQuantity(aq.Qty) : null);
            WriteOptional(w, "last", last == 0 ? null : inst.FormatPrice(last));
            WriteDay(w, inst, day);
        });
    }

    /// <summary>
    /// The last 24 h of public trades of an instrument (any thread): since this server started, what its trades
    /// channel published, on <see cref="MarketDataOptions.Clock"/>. The WebSocket and the REST ticker both show it.
    /// </summary>
    public DayStats Day(int instrument) => _day[instrument].At(Options.Clock.GetUtcNow());

    /// <summary><c>volume24h</c>, then <c>open24h</c>, <c>high24h</c>, <c>low24h</c> (null without trades in the window).</summary>
    private static void WriteDay(Utf8JsonWriter w, Instrument inst, DayStats day)
    {
        w.WriteString("volume24h", inst.FormatQuantity(day.Volume));
        WriteOptional(w, "open24h", day.PriceText(inst, day.Open));
        WriteOptional(w, "high24h", day.PriceText(inst, day.High));
        WriteOptional(w, "low24h", day.PriceText(inst, day.Low));
    }

    private WsFrame Status(Instrument inst) => Message(w =>
    {
        w.WriteString("channel", "status");
        w.WriteString("symbol", inst.Symbol);
        w.WriteString("status", _halted[inst.Index] ? "halted" : "trading");
    });

    private static WsFrame Resync(Channel channel, Instrument inst, string why) => Message(w =>
    {
        w.WriteString("channel", Name(channel));
        w.WriteString("type", "resync");
        w.WriteString("symbol", inst.Symbol);
        w.WriteString("message", why);
    });

    public static WsFrame Error(string code, string message) => Message(w =>
    {
        w.WriteStartObject("error");
        w.WriteString("code", code);
        w.WriteString("message", message);
        w.WriteEndObject();
    });

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_json;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Encodes one JSON object message, once, straight into the frame every receiver shares. The JSON is written into
    /// a buffer and writer kept per thread (the publisher's, or a connection's for its own errors and pongs).
    /// </summary>
    public static WsFrame Message(Action<Utf8JsonWriter> body)
    {
        var buffer = t_json ??= new System.Buffers.ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer);
        w.Reset(buffer);
        w.WriteStartObject();
        body(w);
        w.WriteEndObject();
        w.Flush();
        return WsFrame.Text(buffer.WrittenSpan);
    }

    private static void WriteLevel(Utf8JsonWriter w, Instrument inst, long price, long qty, int count)
    {
        w.WriteStartArray();
        w.WriteStringValue(inst.FormatPrice(price));
        w.WriteStringValue(inst.FormatQuantity(qty));
        w.WriteNumberValue(count);
        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
