using Hft.Core.Book;
using Hft.Pipeline;

namespace Hft.Cli.Bench;

/// <summary>
/// Runs the <c>pipeline</c> scenario: the generated flow as decoded binary order-entry messages through a real node's
/// pipeline to encoded acknowledgments (<see cref="InProcessBinarySession"/>), on one thread with run-to-completion.
/// Built before timing: the stream (<see cref="OrderFlowGenerator"/>, with its dry run) and its decoded messages. A node
/// is costly to build (its engines pre-touch a few hundred MB), so one node runs one continuous stream in three
/// segments: <see cref="PrimeCommands"/> untimed (JIT warm-up, and the node's bounded structures reach their steady
/// size), then the throughput segment, then the latency segment - the two measured segments are different commands of
/// the same flow, not the same commands twice. Bounded: at most <see cref="MaxCommands"/> commands per measured
/// segment, each loop at most <see cref="SegmentTimeLimit"/>, each acknowledgment at most <see cref="AckTimeout"/>.
/// </summary>
internal static class PipelineRunner
{
    /// <summary>Most commands per measured segment (the node journals them all: about 100 bytes each on disk).</summary>
    public const int MaxCommands = 1_000_000;

    /// <summary>
    /// Commands run untimed before the measured ones: the JIT's warm-up, and the node's bounded structures (the trade
    /// tape's rings, the market-data queue, which nothing drains without listeners, the engine's per-account lists)
    /// reach their steady size. At most as many as are measured.
    /// </summary>
    public const int PrimeCommands = 200_000;

    public static readonly TimeSpan SegmentTimeLimit = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    public static BenchResult Run(BenchScenario scenario, int commands, ulong seed, int batch, TextWriter log)
    {
        int measured = Math.Min(commands, MaxCommands);
        int prime = Math.Min(PrimeCommands, measured);
        if (measured < commands) log.WriteLine($"bench: {scenario.Name}: measuring {MaxCommands:N0} commands per pass (its limit)");
        log.WriteLine($"bench: {scenario.Name}: generating {prime:N0} untimed + 2 x {measured:N0} measured commands (seed {seed})");
        var w = OrderFlowGenerator.Generate(scenario, prime + 2 * measured, seed);
        int messagesPerCommand = 2 * w.Sizing.PeakEventsPerCommand + 2; // a trade is two fills

        using var node = PipelineBenchNode.Start(w);
        var pipeline = node.Pipeline;
        var flow = DecodedOrderFlow.From(w.Commands, node.AccountIds, node.InstrumentIds);
        var session = new InProcessBinarySession(pipeline, flow, messagesPerCommand, batch, AckTimeout);
        int total = flow.Messages.Length;

        log.WriteLine($"bench: {scenario.Name}: warm-up ({prime:N0} commands untimed)");
        // The segments are contiguous: each starts where the one before stopped, so every command meets the book the
        // generator's dry run saw (cancels and replaces name live orders).
        int primed = PipelineLoops.Run(session, flow, 0, prime, PipelineLoops.Deadline(SegmentTimeLimit));
        Thread.Sleep(200); // let background tier-1 compilation finish

        log.WriteLine($"bench: {scenario.Name}: throughput pass");
        var throughput = PipelineSegment.Measure(session, pipeline.Journal, flow, primed, primed + measured, SegmentTimeLimit, ticks: null);
        int next = primed + throughput.Done;
        log.WriteLine($"bench: {scenario.Name}: latency pass");
        var ticks = new long[measured];
        var latency = PipelineSegment.Measure(session, pipeline.Journal, flow, next, Math.Min(total, next + measured), SegmentTimeLimit, ticks);
        string invariants = Check(pipeline, w, whole: next + latency.Done == total);
        Warn(scenario.Name, "throughput", throughput, measured, log);
        Warn(scenario.Name, "latency", latency, measured, log);
        if (invariants != "ok") log.WriteLine($"bench: {scenario.Name}: warning: {invariants}");

        double seconds = throughput.ElapsedTicks / (double)System.Diagnostics.Stopwatch.Frequency;
        return new BenchResult
        {
            Name = scenario.Name,
            Description = $"{scenario.Description}; reads of {batch} message(s); one node: {prime:N0} commands untimed, then the throughput and the latency segment",
            Commands = throughput.Done,
            PreloadedOrders = 0,
            Instruments = w.Instruments.Count,
            Seed = w.Seed,
            OpsPerSec = throughput.Done / seconds,
            ElapsedMs = seconds * 1000,
            Latency = LatencySummary.From(ticks, w.Commands.AsSpan(next, latency.Done), latency.Done),
            ThroughputCost = throughput.Cost,
            LatencyCost = latency.Cost,
            Events = throughput.Events,
            Trades = throughput.Trades,
            Rejected = throughput.Rejected,
            RestingAtEnd = Resting(pipeline),
            EventDigest = w.Sizing.EventDigestText,
            Invariants = invariants,
            RiskChecked = true,
            RejectsByReason = throughput.RejectsByReason,
            RiskRejected = EngineSizer.RiskRejectsOf(throughput.RejectsByReason),
            Gateway = new AckFigures(throughput.Acks, throughput.Unacknowledged, throughput.Messages, throughput.Bytes,
                throughput.DurabilityWaits, throughput.JournalRecords, pipeline.Journal.Mode.ToString().ToLowerInvariant(), latency.Acks),
        };
    }

    /// <summary>
    /// "ok", or what is wrong: a book invariant of a shard's engine, or - when the whole stream ran - an outcome other
    /// than the generator's dry run's (the node's risk limits refused something the dry run accepted).
    /// </summary>
    private static string Check(TradingPipeline pipeline, BenchWorkload w, bool whole)
    {
        long trades = 0, rejected = 0;
        foreach (var shard in pipeline.Shards)
        {
            if (BookInvariants.Check(shard.Engine) is { } violation) return violation;
            trades += shard.Engine.Counters.Trades;
            rejected += shard.Engine.Counters.Rejected;
        }
        if (whole && (trades != w.Sizing.Trades || rejected != w.Sizing.Rejected))
            return $"node: {trades:N0} trades, {rejected:N0} rejected; dry run: {w.Sizing.Trades:N0} trades, {w.Sizing.Rejected:N0} rejected";
        return "ok";
    }

    private static int Resting(TradingPipeline pipeline)
    {
        int n = 0;
        foreach (var shard in pipeline.Shards) n += shard.Engine.Orders.Live;
        return n;
    }

    private static void Warn(string name, string pass, PipelineSegment s, int measured, TextWriter log)
    {
        if (s.Done < measured) log.WriteLine($"bench: {name}: warning: the {pass} pass ran {s.Done:N0} of {measured:N0} commands (time limit or end of stream)");
        if (s.Acks != s.Done) log.WriteLine($"bench: {name}: warning: {pass} pass: {s.Acks:N0} acknowledgments for {s.Done:N0} commands ({s.Unacknowledged:N0} never released)");
    }
}
