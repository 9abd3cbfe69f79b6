using System.Diagnostics;
using Hft.Core.Instruments;
using Hft.Core.Orders;

namespace Hft.Server.MarketData;

/// <summary>A level2 subscription that gets at most one update per interval: the levels changed since its last message.</summary>
internal sealed class ConflatedLevel2(WsConnection connection, int instrument, int intervalMs)
{
    public WsConnection Connection { get; } = connection;
    public int Instrument { get; } = instrument;
    public long IntervalTicks { get; } = intervalMs * Stopwatch.Frequency / 1000;

    /// <summary>
    /// Levels changed since the last message (bounded by the levels of the book), each with the (qty, count) this
    /// subscription last saw: a level that is back to that state (one that came and went) is not sent.
    /// </summary>
    public Dictionary<(Side Side, long Price), (long Qty, int Count)> Pending { get; } = new();

    /// <summary>The level2 seq of the last message sent to this subscription (snapshot or update).</summary>
    public long LastSeq { get; set; }

    public long Due { get; set; }
}

/// <summary>
/// Level2 conflation: a conflated subscription is not sent each command's update; the publisher remembers which
/// levels changed and, at most once per interval, sends their current (qty, count) with <c>seq</c> = the level2
/// sequence of the newest change included and <c>prevSeq</c> = the seq of the previous message it sent that client.
/// Conflation is also a slow consumer's right: an unconflated level2 subscription whose connection's send queue is half
/// full is moved to conflated updates ([market_data] slow_consumer_conflate_ms) instead of being dropped when it fills.
/// </summary>
public sealed partial class MarketDataPublisher
{
    private readonly Dictionary<(WsConnection, int), ConflatedLevel2> _conflated = new();
    private readonly List<ConflatedLevel2>[] _conflatedByInstrument;
    private readonly List<WsConnection> _toConflate = new();

    /// <summary>
    /// A command's level2 update (seq = the book's sequence) to every unconflated subscriber. A connection left with its
    /// send queue half full or more is moved to conflated updates right after it: its chain of seq/prevSeq goes on from
    /// this update, so its book stays exact at a lower rate, and its queue drains while trades keep flowing.
    /// </summary>
    private void BroadcastLevel2Update(Instrument inst, WsFrame message)
    {
        if (!_subscribers.TryGetValue((Channel.Level2, inst.Index), out var set)) return;
        int soft = Options.SlowConsumerConflateMs > 0 ? Math.Max(1, Options.SendQueueLimit / 2) : int.MaxValue;
        List<WsConnection>? slow = null;
        foreach (var c in set)
        {
            if (!Queue(c, message, out int queued)) (slow ??= new()).Add(c);
            else if (queued >= soft) _toConflate.Add(c);
        }
        foreach (var c in _toConflate) ConflateSlowSubscriber(c, inst, set);
        _toConflate.Clear();
        if (slow is null) return;
        foreach (var c in slow) SlowConsumer(c, Channel.Level2, inst);
    }

    private void ConflateSlowSubscriber(WsConnection c, Instrument inst, HashSet<WsConnection> unconflated)
    {
        unconflated.Remove(c);
        var sub = AddConflated(c, inst.Index, Options.SlowConsumerConflateMs);
        sub.Due = Stopwatch.GetTimestamp() + sub.IntervalTicks; // the queue drains first
        Interlocked.Increment(ref _slowConflations);
        Queue(c, Message(w =>
        {
            w.WriteString("channel", "level2");
            w.WriteString("type", "conflated");
            w.WriteString("symbol", inst.Symbol);
            w.WriteNumber("conflate_ms", Options.SlowConsumerConflateMs);
            w.WriteString("reason", "slow_consumer");
            w.WriteString("message", "the send queue is half full: level2 now comes as conflated updates (seq/prevSeq go on); resubscribe to get every change again");
        }));
    }

    private ConflatedLevel2 AddConflated(WsConnection c, int instrument, int intervalMs)
    {
        var sub = new ConflatedLevel2(c, instrument, intervalMs) { LastSeq = _books[instrument].Sequence, Due = Stopwatch.GetTimestamp() };
        _conflated[(c, instrument)] = sub;
        _conflatedByInstrument[instrument].Add(sub);
        return sub;
    }

    private void RemoveConflated(WsConnection c, int instrument)
    {
        if (_conflated.Remove((c, instrument), out var sub)) _conflatedByInstrument[instrument].Remove(sub);
    }

    /// <summary>A fresh snapshot went out (seed): conflated subscribers start over from its seq.</summary>
    private void ResetConflated(int instrument)
    {
        foreach (var sub in _conflatedByInstrument[instrument])
        {
            sub.Pending.Clear();
            sub.LastSeq = _books[instrument].Sequence;
        }
    }

    private void NoteConflated(int instrument, List<LevelChange> changes)
    {
        foreach (var sub in _conflatedByInstrument[instrument])
            foreach (var c in changes) sub.Pending.TryAdd((c.Side, c.Price), c.Before);
    }

    private void PumpConflated()
    {
        if (_conflated.Count == 0) return;
        long now = Stopwatch.GetTimestamp();
        List<ConflatedLevel2>? slow = null;
        foreach (var sub in _conflated.Values)
        {
            if (sub.Pending.Count == 0 || now < sub.Due) continue;
            var book = _books[sub.Instrument];
            if (!book.Ready) continue;
            var inst = _pipeline.Instruments[sub.Instrument];
            long seq = book.Sequence, prev = sub.LastSeq;
            var levels = new List<(Side Side, long Price)>(sub.Pending.Count);
            foreach (var (level, seen) in sub.Pending)
                if (book.Level(level.Side, level.Price) != seen) levels.Add(level);
            sub.Pending.Clear();
            if (levels.Count == 0) continue; // every level is back to what this subscription saw: nothing to tell
            levels.Sort((a, b) => a.Side != b.Side ? a.Side.CompareTo(b.Side) : a.Side == Side.Buy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price));
            var message = Message(w =>
            {
                w.WriteString("channel", "level2");
                w.WriteString("symbol", inst.Symbol);
                w.WriteString("type", "update");
                w.WriteNumber("seq", seq);
                w.WriteNumber("prevSeq", prev);
                foreach (var side in new[] { Side.Buy, Side.Sell })
                {
                    w.WriteStartArray(side == Side.Buy ? "bids" : "asks");
                    foreach (var l in levels)
                    {
                        if (l.Side != side) continue;
                        var (qty, count) = book.Level(side, l.Price);
                        WriteLevel(w, inst, l.Price, qty, count);
                    }
                    w.WriteEndArray();
                }
            });
            sub.LastSeq = seq;
            sub.Due = now + sub.IntervalTicks;
            if (!Queue(sub.Connection, message)) (slow ??= new()).Add(sub);
        }
        if (slow is null) return;
        foreach (var sub in slow) SlowConsumer(sub.Connection, Channel.Level2, _pipeline.Instruments[sub.Instrument]);
    }
}
