using System.Diagnostics;
using Hft.Journal;

namespace Hft.Cli.Bench;

/// <summary>
/// One measured segment of the <c>pipeline</c> scenario: messages [from, to) of the flow inside a
/// <see cref="MeasuredRegion"/>, either in one timed loop (throughput) or with a timestamp pair around every command
/// (latency, into <c>ticks</c>), and what the session and the journal saw meanwhile. The loop stops at its deadline:
/// <see cref="Done"/> says how many commands ran.
/// </summary>
internal sealed record PipelineSegment
{
    public required int Done { get; init; }
    public required long ElapsedTicks { get; init; }
    public required MeasuredCost Cost { get; init; }
    public required long Acks { get; init; }
    public required long Unacknowledged { get; init; }
    public required long Messages { get; init; }
    public required long Bytes { get; init; }
    public required long DurabilityWaits { get; init; }
    public required long JournalRecords { get; init; }
    public required long Events { get; init; }
    public required long Trades { get; init; }
    public required long Rejected { get; init; }
    public required long[] RejectsByReason { get; init; }

    public static PipelineSegment Measure(InProcessBinarySession session, JournalWriter journal, DecodedOrderFlow flow, int from, int to,
        TimeSpan timeLimit, long[]? ticks)
    {
        session.ResetCounts();
        long records = journal.Stats.Records;
        long deadline = PipelineLoops.Deadline(timeLimit);
        var region = MeasuredRegion.Begin();
        long t0 = Stopwatch.GetTimestamp();
        int done = ticks is null
            ? PipelineLoops.Run(session, flow, from, to, deadline)
            : PipelineLoops.RunTimed(session, flow, from, to, deadline, ticks);
        long t1 = Stopwatch.GetTimestamp();
        var cost = region.End();
        var decided = session.Decided();
        return new PipelineSegment
        {
            Done = done,
            ElapsedTicks = t1 - t0,
            Cost = cost,
            Acks = session.Acks,
            Unacknowledged = session.Unacknowledged,
            Messages = session.Messages,
            Bytes = session.Bytes,
            DurabilityWaits = session.DurabilityWaits,
            JournalRecords = journal.Stats.Records - records,
            Events = decided.Events,
            Trades = decided.Trades,
            Rejected = decided.Rejected,
            RejectsByReason = decided.RejectsByReason,
        };
    }
}
