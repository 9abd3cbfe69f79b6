using System.Diagnostics;
using System.Runtime.CompilerServices;
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
/// Both measured passes run inside a <see cref="MeasuredRegion"/> (a full blocking GC first, SustainedLowLatency
/// requested), which counts allocated bytes (this thread) and GC collections across their loop only.
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
        var region = MeasuredRegion.Begin();
        long t0 = Stopwatch.GetTimestamp();
        long events = RunTimedLoop(processor, commands);
        long t1 = Stopwatch.GetTimestamp();
        var throughputCost = region.End();
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
        var region2 = MeasuredRegion.Begin();
        RunLatencyLoop(processor2, commands, ticks);
        var latencyCost = region2.End();
        long rejected2 = processor2.Engine.Counters.Rejected;
        processor2 = default;
        if (rejected != w.Sizing.Rejected || rejected2 != w.Sizing.Rejected)
            log.WriteLine($"bench: {w.Name}: warning: rejected {rejected:N0} / {rejected2:N0} in the measured passes, {w.Sizing.Rejected:N0} in the dry run");

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
            Latency = LatencySummary.From(ticks, commands, commands.Length),
            ThroughputCost = throughputCost,
            LatencyCost = latencyCost,
            Events = events,
            Trades = trades,
            Rejected = rejected,
            RestingAtEnd = resting,
            EventDigest = w.Sizing.EventDigestText,
            Invariants = w.Sizing.InvariantViolation ?? "ok",
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
}
