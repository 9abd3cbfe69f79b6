namespace Hft.Cli.Bench;

/// <summary>The figures of one measured scenario. Latencies in nanoseconds.</summary>
internal sealed record BenchResult
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required int Commands { get; init; }
    public required int PreloadedOrders { get; init; }
    public required int Instruments { get; init; }
    public ulong? Seed { get; init; }

    /// <summary>Throughput pass: commands over the wall time of one timed loop (no per-command timestamps).</summary>
    public required double OpsPerSec { get; init; }
    public required double ElapsedMs { get; init; }

    /// <summary>Latency pass (second, separate pass on a fresh engine): Stopwatch.GetTimestamp around each command.</summary>
    public required LatencySummary Latency { get; init; }

    public long P50Ns => Latency.P50Ns;
    public long P90Ns => Latency.P90Ns;
    public long P99Ns => Latency.P99Ns;
    public long P999Ns => Latency.P999Ns;
    public long MaxNs => Latency.MaxNs;
    public double MeanNs => Latency.MeanNs;

    /// <summary>Latency pass, by <see cref="CommandKind"/>: number of commands and mean latency in ns.</summary>
    public long[] KindCounts => Latency.KindCounts;
    public double[] KindMeanNs => Latency.KindMeanNs;

    /// <summary>What each measured loop cost besides time: allocation, GC collections, page faults, GC mode.</summary>
    public required MeasuredCost ThroughputCost { get; init; }
    public required MeasuredCost LatencyCost { get; init; }

    /// <summary>Allocated bytes and GC collections over both measured passes (throughput + latency).</summary>
    public long AllocatedBytes => ThroughputCost.AllocatedBytes + LatencyCost.AllocatedBytes;
    public int GcCollections => ThroughputCost.GcCollections + LatencyCost.GcCollections;

    /// <summary>GCSettings.LatencyMode as read back during the measured loops (it can refuse a mode).</summary>
    public string GcLatencyMode => ThroughputCost.AppliedMode.ToString();

    /// <summary>Page faults (minor + major) of the process during each measured pass, -1 when unknown.</summary>
    public long PageFaultsThroughput => ThroughputCost.PageFaults;
    public long PageFaultsLatency => LatencyCost.PageFaults;

    /// <summary>What the stream did (same in every pass: the engine is deterministic; pipeline: its throughput segment).</summary>
    public required long Events { get; init; }
    public required long Trades { get; init; }
    public required long Rejected { get; init; }
    public required int RestingAtEnd { get; init; }

    /// <summary>Digest of every event of the stream (dry run) and the book-invariant check at its end.</summary>
    public required string EventDigest { get; init; }

    public required string Invariants { get; init; }

    /// <summary>True when the loops ran pre-trade risk (the <c>risk</c> and <c>pipeline</c> scenarios).</summary>
    public required bool RiskChecked { get; init; }

    /// <summary>Rejected commands by reason (index = <c>RejectReason</c> value), from the dry run (deterministic:
    /// the measured passes reject the same commands); pipeline: as the node decided its throughput segment.</summary>
    public required long[] RejectsByReason { get; init; }

    /// <summary>Commands rejected by pre-trade risk.</summary>
    public required long RiskRejected { get; init; }

    /// <summary>The <c>pipeline</c> scenario's acknowledgments (null for the engine scenarios).</summary>
    public AckFigures? Gateway { get; init; }

    public double RiskRejectShare => Commands == 0 ? 0 : (double)RiskRejected / Commands;
}
