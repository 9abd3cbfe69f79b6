using System.Diagnostics;
using HdrHistogram;

namespace Hft.Tools.Loadgen;

/// <summary>
/// The book-keeping of one loadgen connection: its orders (live or not, the request outstanding on each and when it
/// was sent), counters and its round-trip histogram (nanoseconds). Answers arrive on the target's receive thread,
/// requests are made by the sending thread: one lock. A request's start is the time it was due to be sent (paced
/// runs: its slot in the schedule, so a late sender does not hide latency - coordinated omission), else its send time.
/// </summary>
public sealed class ConnectionLoad : ITargetListener
{
    private readonly object _gate = new();
    private readonly Dictionary<ulong, (long Since, RequestKind Kind)> _pendingSince = new();
    private readonly Dictionary<string, long> _errorsByReason = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _live = new();
    private readonly List<ulong> _liveList = new();
    private ulong _nextId;
    private long _answered, _errors, _late, _sent, _newOrders;
    private string? _closed;

    public ConnectionLoad(int index) => _nextId = (ulong)index << 40;

    public LongHistogram Histogram { get; } = new(1, 60_000_000_000L, 3);

    public IOrderEntryTarget? Target { get; set; }

    public long Sent => Interlocked.Read(ref _sent);
    public long NewOrders => Interlocked.Read(ref _newOrders);
    public long Answered => Interlocked.Read(ref _answered);
    public long Errors => Interlocked.Read(ref _errors);
    public long TooLate => Interlocked.Read(ref _late);
    public long InFlight => Sent - Answered;
    public string? Closed => _closed;

    public int LiveCount
    {
        get
        {
            lock (_gate) return _live.Count;
        }
    }

    public ulong NextNewOrder(long now)
    {
        lock (_gate)
        {
            ulong id = ++_nextId;
            _pendingSince[id] = (now, RequestKind.New);
            _sent++;
            _newOrders++;
            return id;
        }
    }

    /// <summary>A live order with no request outstanding, chosen at random, marked as having one (<paramref name="kind"/>) now; 0 when there is none.</summary>
    public ulong TakeLiveOrder(Random random, long now, RequestKind kind)
    {
        lock (_gate)
        {
            for (int tries = 0; tries < 4 && _liveList.Count > 0; tries++)
            {
                int i = random.Next(_liveList.Count);
                ulong id = _liveList[i];
                if (!_live.Contains(id))
                {
                    _liveList[i] = _liveList[^1];
                    _liveList.RemoveAt(_liveList.Count - 1);
                    continue;
                }
                if (_pendingSince.ContainsKey(id)) continue;
                _pendingSince[id] = (now, kind);
                _sent++;
                return id;
            }
            return 0;
        }
    }

    public void OnAnswer(ulong clientOrderId, Answer answer, long timestamp, string? reason = null)
    {
        lock (_gate)
        {
            if (!_pendingSince.Remove(clientOrderId, out var pending)) return; // not a request's answer (e.g. a cancel by the engine)
            long since = pending.Since;
            _answered++;
            if (answer == Answer.Rejected)
            {
                _errors++;
                reason ??= "unknown";
                _errorsByReason[reason] = _errorsByReason.GetValueOrDefault(reason) + 1;
            }
            if (answer == Answer.TooLate) _late++;
            if (answer == Answer.Accepted && _live.Add(clientOrderId)) _liveList.Add(clientOrderId);
            long ns = (long)((timestamp - since) * (1e9 / Stopwatch.Frequency));
            Histogram.RecordValue(Math.Clamp(ns, 1, Histogram.HighestTrackableValue));
        }
    }

    public void OnDone(ulong clientOrderId)
    {
        lock (_gate) _live.Remove(clientOrderId);
    }

    public void OnClosed(string why) => _closed ??= why;

    /// <summary>Refusals so far, by the server's reason.</summary>
    public Dictionary<string, long> ErrorsByReason()
    {
        lock (_gate) return new Dictionary<string, long>(_errorsByReason, StringComparer.Ordinal);
    }

    /// <summary>Requests sent and never answered (so far), by kind.</summary>
    public Dictionary<RequestKind, long> Unanswered()
    {
        lock (_gate)
        {
            var counts = new Dictionary<RequestKind, long>();
            foreach (var (_, kind) in _pendingSince.Values) counts[kind] = counts.GetValueOrDefault(kind) + 1;
            return counts;
        }
    }
}

/// <summary>What a request asked for (unanswered requests are counted by kind).</summary>
public enum RequestKind : byte
{
    New,
    Cancel,
    Replace,
}
