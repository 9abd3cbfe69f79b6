using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Hft.Cli.Bench;

/// <summary>
/// The loops of the <c>pipeline</c> scenario over messages [from, to) of a <see cref="DecodedOrderFlow"/>, one read of
/// <see cref="InProcessBinarySession.Batch"/> messages at a time: every message of a read is stamped received at the
/// same moment (they arrived together). Each loop returns how many messages it ran: it stops early once past
/// <c>deadline</c> (a Stopwatch timestamp), looked at after every read.
/// </summary>
internal static class PipelineLoops
{
    public static long Deadline(TimeSpan limit) => Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);

    /// <summary>The throughput loop (and the untimed runs).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static int Run(InProcessBinarySession session, DecodedOrderFlow flow, int from, int to, long deadline)
    {
        var received = session.Received;
        for (int i = from; i < to;)
        {
            int n = Math.Min(session.Batch, to - i);
            long now = Stopwatch.GetTimestamp();
            received.AsSpan(0, n).Fill(now);
            session.ProcessRead(flow.Messages.AsSpan(i, n), flow.SessionAccounts.AsSpan(i, n), received.AsSpan(0, n), default);
            i += n;
            if (now > deadline) return i - from;
        }
        return to - from;
    }

    /// <summary>The latency loop: from a read's arrival to each of its messages' acknowledgment encoded, into <paramref name="ticks"/>[i - from].</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static int RunTimed(InProcessBinarySession session, DecodedOrderFlow flow, int from, int to, long deadline, long[] ticks)
    {
        var received = session.Received;
        var encoded = session.Encoded;
        for (int i = from; i < to;)
        {
            int n = Math.Min(session.Batch, to - i);
            long a = Stopwatch.GetTimestamp();
            received.AsSpan(0, n).Fill(a);
            session.ProcessRead(flow.Messages.AsSpan(i, n), flow.SessionAccounts.AsSpan(i, n), received.AsSpan(0, n), encoded.AsSpan(0, n));
            for (int j = 0; j < n; j++) ticks[i - from + j] = encoded[j] - a;
            i += n;
            if (a > deadline) return i - from;
        }
        return to - from;
    }
}
