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
    public required long P50Ns { get; init; }
    public required long P90Ns { get; init; }
    public required long P99Ns { get; init; }
    public required long P999Ns { get; init; }
    public required long MaxNs { get; init; }
    public required double MeanNs { get; init; }

    /// <summary>Allocated bytes and GC collections over both measured passes (throughput + latency).</summary>
    public required long AllocatedBytes { get; init; }
    public required int GcCollections { get; init; }

    /// <summary>What the stream did (same in every pass: the engine is deterministic).</summary>
    public required long Events { get; init; }
    public required long Trades { get; init; }
    public required long Rejected { get; init; }
    public required int RestingAtEnd { get; init; }

    /// <summary>GCSettings.LatencyMode as read back during the measured loops (it can refuse a mode).</summary>
    public required string GcLatencyMode { get; init; }

    /// <summary>Page faults (minor + major) of the process during each measured pass, -1 when unknown.</summary>
    public required long PageFaultsThroughput { get; init; }
    public required long PageFaultsLatency { get; init; }

    /// <summary>Digest of every event of the stream (dry run) and the book-invariant check at its end.</summary>
    public required string EventDigest { get; init; }

    /// <summary>Latency pass, by <see cref="CommandKind"/>: number of commands and mean latency in ns.</summary>
    public required long[] KindCounts { get; init; }
    public required double[] KindMeanNs { get; init; }
    public required string Invariants { get; init; }

    /// <summary>True when the loops ran the whole pipeline with pre-trade risk (the <c>risk</c> scenario).</summary>
    public required bool RiskChecked { get; init; }

    /// <summary>Rejected commands by reason (index = <c>RejectReason</c> value), from the dry run (deterministic:
    /// the measured passes reject the same commands).</summary>
    public required long[] RejectsByReason { get; init; }

    /// <summary>Commands rejected by pre-trade risk.</summary>
    public required long RiskRejected { get; init; }

    public double RiskRejectShare => Commands == 0 ? 0 : (double)RiskRejected / Commands;
}
