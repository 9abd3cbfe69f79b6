using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using HdrHistogram;
using Hft.Core.Matching;
using Hft.Pipeline.Shards;

namespace Hft.Cli.Bench;

/// <summary>
/// Times the engine alone (or, for a workload <see cref="BenchWorkload.WithRisk"/>, the whole pipeline: validate,
/// pre-trade risk check, matching, risk settlement) on a prepared <see cref="BenchWorkload"/>, single thread.
/// The loops are generic over a struct <see cref="IBenchProcessor"/>, so each processor gets its own specialized
/// machine code and the engine-only loops call the engine directly. Per workload:
/// <list type="number">
/// <item>warm-up: a separate engine instance runs the pre-load and the whole stream (JIT tiering, PGO, caches);</item>
/// <item>throughput pass: a fresh engine, pre-load untimed, then one timed loop over the stream (two timestamps in all);</item>
/// <item>latency pass: another fresh engine, pre-load untimed, then Stopwatch.GetTimestamp before and after every
/// command into a pre-allocated array; the histogram is filled after the loop.</item>
/// </list>
/// Both measured passes start after a full blocking GC, under <see cref="GCLatencyMode.SustainedLowLatency"/>, and
/// count allocated bytes (this thread) and GC collections (gen 0 + 1 + 2 counts) across their loop only.
/// </summary>
internal static class BenchRunner
{
    private const long WarmupCommands = 1_000_000;

    public static BenchResult Run(BenchWorkload w, TextWriter log)
        => w.WithRisk
            ? Run(w, log, static w => new RiskPipelineProcessor(new CommandStep(w.CreateEngine(), w.CreateRisk())))
            : Run(w, log, static w => new EngineProcessor(w.CreateEngine()));

    private static BenchResult Run<T>(BenchWorkload w, TextWriter log, Func<BenchWorkload, T> create)
        where T : struct, IBenchProcessor
    {
        var commands = w.Commands;

        // Short streams (small replay files) are repeated, each time on a fresh engine, so the warm-up runs
        // at least WarmupCommands commands and the JIT has reached its optimized tier.
        int rounds = (int)Math.Clamp(WarmupCommands / Math.Max(1, w.Preload.Length + commands.Length), 1, 10_000);
        log.WriteLine($"bench: {w.Name}: warm-up ({rounds} x ({w.Preload.Length:N0} pre-load + {commands.Length:N0} commands))");
        for (int round = 0; round < rounds; round++)
        {
            var warm = create(w);
            RunUntimed(warm, w.Preload);
            RunUntimed(warm, commands);
        }
        Thread.Sleep(200); // let background tier-1 compilation finish

        // ---- throughput pass ----
        log.WriteLine($"bench: {w.Name}: throughput pass");
        var processor = create(w);
        var engine = processor.Engine;
        RunUntimed(processor, w.Preload);
        long faults0 = PageFaults.Read();
        var before = Snapshot.Take(settle: true);
        var mode = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        var appliedMode = GCSettings.LatencyMode;
        long t0 = Stopwatch.GetTimestamp();
        long events = RunTimedLoop(processor, commands);
        long t1 = Stopwatch.GetTimestamp();
        var after = Snapshot.Take(settle: false);
        long faults1 = PageFaults.Read();
        GCSettings.LatencyMode = mode;
        long trades = engine.Counters.Trades;
        long rejected = engine.Counters.Rejected;
        int resting = engine.Orders.Live;
        int storeCapacity = engine.Orders.Capacity;
        if (storeCapacity != Math.Max(16, w.Options.OrderCapacity))
            log.WriteLine($"bench: {w.Name}: warning: order store grew to {storeCapacity:N0} slots during the run");
        engine = null;
        processor = default;

        // ---- latency pass ----
        log.WriteLine($"bench: {w.Name}: latency pass");
        var ticks = new long[commands.Length];
        var processor2 = create(w);
        RunUntimed(processor2, w.Preload);
        long faults2 = PageFaults.Read();
        var before2 = Snapshot.Take(settle: true);
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        RunLatencyLoop(processor2, commands, ticks);
        var after2 = Snapshot.Take(settle: false);
        long faults3 = PageFaults.Read();
        GCSettings.LatencyMode = mode;
        long rejected2 = processor2.Engine.Counters.Rejected;
        processor2 = default;
        if (rejected != w.Sizing.Rejected || rejected2 != w.Sizing.Rejected)
            log.WriteLine($"bench: {w.Name}: warning: rejected {rejected:N0} / {rejected2:N0} in the measured passes, {w.Sizing.Rejected:N0} in the dry run");

        var histogram = new LongHistogram(10_000_000_000L, 3); // 1 ns .. 10 s, 3 significant digits
        foreach (long t in ticks) histogram.RecordValue(Math.Max(1, BenchClock.ToNs(t)));

        var kindCounts = new long[CommandKinds.Count];
        var kindTotals = new double[CommandKinds.Count];
        for (int i = 0; i < commands.Length; i++)
        {
            int k = (int)CommandKinds.Of(in commands[i]);
            kindCounts[k]++;
            kindTotals[k] += BenchClock.ToNs(ticks[i]);
        }
        var kindMeans = new double[CommandKinds.Count];
        for (int k = 0; k < kindMeans.Length; k++) kindMeans[k] = kindCounts[k] == 0 ? 0 : kindTotals[k] / kindCounts[k];

        double seconds = (t1 - t0) / (double)Stopwatch.Frequency;
        return new BenchResult
        {
            Name = w.Name,
            Description = w.Description,
            Commands = commands.Length,
            PreloadedOrders = w.Preload.Length,
            Instruments = w.Instruments.Count,
            Seed = w.Seed,
            OpsPerSec = commands.Length / seconds,
            ElapsedMs = seconds * 1000,
            P50Ns = histogram.GetValueAtPercentile(50),
            P90Ns = histogram.GetValueAtPercentile(90),
            P99Ns = histogram.GetValueAtPercentile(99),
            P999Ns = histogram.GetValueAtPercentile(99.9),
            MaxNs = histogram.GetMaxValue(),
            MeanNs = histogram.GetMean(),
            AllocatedBytes = (after.Allocated - before.Allocated) + (after2.Allocated - before2.Allocated),
            GcCollections = (after.Collections - before.Collections) + (after2.Collections - before2.Collections),
            Events = events,
            Trades = trades,
            Rejected = rejected,
            RestingAtEnd = resting,
            GcLatencyMode = appliedMode.ToString(),
            EventDigest = w.Sizing.EventDigest.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            KindCounts = kindCounts,
            KindMeanNs = kindMeans,
            Invariants = w.Sizing.InvariantViolation ?? "ok",
            PageFaultsThroughput = faults0 < 0 ? -1 : faults1 - faults0,
            PageFaultsLatency = faults2 < 0 ? -1 : faults3 - faults2,
            RiskChecked = w.WithRisk,
            RejectsByReason = (long[])w.Sizing.RejectsByReason.Clone(),
            RiskRejected = w.Sizing.RiskRejects,
        };
    }

    /// <summary>The timed loop of the throughput pass. Fully optimized from the first call (no tier-0 / OSR).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long RunTimedLoop<T>(T processor, OrderCommand[] commands) where T : struct, IBenchProcessor
    {
        long events = 0;
        for (int i = 0; i < commands.Length; i++)
            events += processor.Process(in commands[i]).Length;
        return events;
    }

    /// <summary>The timed loop of the latency pass: one timestamp pair per command, stored raw.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void RunLatencyLoop<T>(T processor, OrderCommand[] commands, long[] ticks) where T : struct, IBenchProcessor
    {
        for (int i = 0; i < commands.Length; i++)
        {
            long a = Stopwatch.GetTimestamp();
            processor.Process(in commands[i]);
            long b = Stopwatch.GetTimestamp();
            ticks[i] = b - a;
        }
    }

    private static void RunUntimed<T>(T processor, OrderCommand[] commands) where T : struct, IBenchProcessor
    {
        for (int i = 0; i < commands.Length; i++) processor.Process(in commands[i]);
    }

    private readonly record struct Snapshot(long Allocated, int Collections)
    {
        public static Snapshot Take(bool settle)
        {
            if (settle)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
            return new Snapshot(GC.GetAllocatedBytesForCurrentThread(),
                GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2));
        }
    }
}
