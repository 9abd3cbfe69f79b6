using Hft.Core.Instruments;
using Prometheus;

namespace Hft.Feed;

/// <summary>What the feed stage knows of one instrument (guarded by the stage's lock).</summary>
internal sealed class FeedSymbolState(Instrument instrument, string product, long startTimestamp)
{
    public Instrument Instrument { get; } = instrument;
    public string Product { get; } = product;

    /// <summary>Last price received (ticks; 0 = none yet) and when (Stopwatch timestamp; start time before the first).</summary>
    public long LastPrice;
    public long LastUpdate = startTimestamp;
    public bool Received;
    public long Updates;

    /// <summary>Last mark applied through the journal, and when (Stopwatch timestamp; 0 = never).</summary>
    public long AppliedMark;
    public long AppliedAt;

    public bool Stale;

    public required Gauge.Child Staleness { get; init; }
    public required Gauge.Child StaleFlag { get; init; }
    public required Counter.Child UpdateCount { get; init; }
    public required Counter.Child MarksApplied { get; init; }
}
