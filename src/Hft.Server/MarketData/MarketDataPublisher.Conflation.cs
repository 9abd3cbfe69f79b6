using System.Diagnostics;
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
/// </summary>
public sealed partial class MarketDataPublisher
{
    private readonly Dictionary<(WsConnection, int), ConflatedLevel2> _conflated = new();
    private readonly List<ConflatedLevel2>[] _conflatedByInstrument;

    private void AddConflated(WsConnection c, int instrument, int intervalMs)
    {
        var sub = new ConflatedLevel2(c, instrument, intervalMs) { LastSeq = _books[instrument].Sequence, Due = Stopwatch.GetTimestamp() };
        _conflated[(c, instrument)] = sub;
        _conflatedByInstrument[instrument].Add(sub);
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
