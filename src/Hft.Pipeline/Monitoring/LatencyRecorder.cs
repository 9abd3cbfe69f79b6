using System.Diagnostics;
using HdrHistogram;

namespace Hft.Pipeline.Monitoring;

/// <summary>The latency stages measured, in pipeline order; <see cref="Order"/> is the whole receipt → ack.</summary>
public enum LatencyStage
{
    /// <summary>Gateway: request read and parsed into a command (before receipt).</summary>
    Parse = 0,

    /// <summary>Receipt → a thread took the command off its shard's ring.</summary>
    Queue = 1,

    /// <summary>Validation and pre-trade risk.</summary>
    Risk = 2,

    /// <summary>Matching.</summary>
    Match = 3,

    /// <summary>Settlement of every affected account: the command is decided.</summary>
    Settle = 4,

    /// <summary>Decided → its journal record durable (journaled, published, written; fsynced in sync mode).</summary>
    Journal = 5,

    /// <summary>Receipt (after parsing) → the acknowledgment may leave: its command is durable.</summary>
    Order = 6,
}

/// <summary>
/// Per-stage latency histograms (HdrHistogram, nanosecond resolution, 3 significant digits, up to 60 s) behind
/// <c>/debug/latency</c>. Writers are the shard threads and the gateway threads: each stage has a thread-safe
/// <see cref="Recorder"/> (wait-free recording, no allocation). A reader swaps the recorders' interval histograms
/// out, adds them to the since-start totals and keeps them as "the last interval" (the time since the previous read).
/// </summary>
public sealed class LatencyRecorder
{
    public const int StageCount = 7;

    /// <summary>Lowercase stage names, indexed by <see cref="LatencyStage"/>.</summary>
    public static readonly string[] StageNames = ["parse", "queue", "risk", "match", "settle", "journal", "order"];

    private const long HighestNanos = 60_000_000_000; // 60 s: anything slower is recorded as 60 s
    private const int Digits = 3;
    private static readonly double s_nanosPerTick = 1e9 / Stopwatch.Frequency;

    private readonly Recorder[] _recorders = new Recorder[StageCount];
    private readonly HistogramBase[] _total = new HistogramBase[StageCount];
    private readonly HistogramBase?[] _interval = new HistogramBase?[StageCount];
    private readonly object _readLock = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _intervalStart;
    private long _intervalEnd;

    public LatencyRecorder()
    {
        for (int i = 0; i < StageCount; i++)
        {
            _recorders[i] = new Recorder(1, HighestNanos, Digits, static (id, low, high, digits) => new LongHistogram(id, low, high, digits));
            _total[i] = new LongHistogram(1, HighestNanos, Digits);
        }
        _intervalStart = _intervalEnd = _started;
    }

    /// <summary>Records the Stopwatch interval <paramref name="from"/> → <paramref name="to"/> for a stage (any thread).</summary>
    public void Record(LatencyStage stage, long from, long to)
    {
        long ticks = to - from;
        if (ticks < 0) return;
        long nanos = (long)(ticks * s_nanosPerTick);
        _recorders[(int)stage].RecordValue(Math.Clamp(nanos, 1, HighestNanos));
    }

    /// <summary>Rolls the interval (everything recorded since the previous snapshot) into the totals and describes both.</summary>
    public LatencyReport Snapshot()
    {
        lock (_readLock)
        {
            long now = Stopwatch.GetTimestamp();
            _intervalStart = _intervalEnd;
            _intervalEnd = now;
            for (int i = 0; i < StageCount; i++)
            {
                // Recycle the previous interval histogram: Recorder resets it and swaps it in as its next active one.
                var interval = _interval[i] is { } recycled ? _recorders[i].GetIntervalHistogram(recycled) : _recorders[i].GetIntervalHistogram();
                _interval[i] = interval;
                _total[i].Add(interval);
            }
            var sinceStart = new Dictionary<string, StageLatency>(StageCount);
            var lastInterval = new Dictionary<string, StageLatency>(StageCount);
            for (int i = 0; i < StageCount; i++)
            {
                sinceStart[StageNames[i]] = StageLatency.Of(_total[i]);
                lastInterval[StageNames[i]] = StageLatency.Of(_interval[i]!);
            }
            return new LatencyReport(
                new LatencyWindow(Stopwatch.GetElapsedTime(_started, now).TotalSeconds, sinceStart),
                new LatencyWindow(Stopwatch.GetElapsedTime(_intervalStart, _intervalEnd).TotalSeconds, lastInterval));
        }
    }
}

/// <summary>Latencies of the stages over one window.</summary>
public sealed record LatencyWindow(double Seconds, Dictionary<string, StageLatency> Stages);

public sealed record LatencyReport(LatencyWindow SinceStart, LatencyWindow LastInterval);

/// <summary>One stage's percentiles in microseconds (0 when nothing was recorded).</summary>
public sealed record StageLatency(long Count, double Mean, double P50, double P90, double P99, double P999, double Max)
{
    public static StageLatency Of(HistogramBase h)
    {
        if (h.TotalCount == 0) return new StageLatency(0, 0, 0, 0, 0, 0, 0);
        return new StageLatency(h.TotalCount, Micros(h.GetMean()), Micros(h.GetValueAtPercentile(50)), Micros(h.GetValueAtPercentile(90)),
            Micros(h.GetValueAtPercentile(99)), Micros(h.GetValueAtPercentile(99.9)), Micros(h.GetMaxValue()));
    }

    private static double Micros(double nanos) => Math.Round(nanos / 1000.0, 3);
}
