using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Hft.Cli.Bench;

/// <summary>
/// The loops of the <c>pipeline</c> scenario over messages [from, to) of a <see cref="DecodedOrderFlow"/>. Each returns
/// how many it ran: it stops early once past <c>deadline</c> (a Stopwatch timestamp), looked at every 4,096 commands.
/// </summary>
internal static class PipelineLoops
{
    private const int DeadlineMask = 4095;

    public static long Deadline(TimeSpan limit) => Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);

    /// <summary>The throughput loop (and the untimed runs): no timestamps but the one the gateway takes per frame (its receive time).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static int Run(InProcessBinarySession session, DecodedOrderFlow flow, int from, int to, long deadline)
    {
        var messages = flow.Messages;
        var accounts = flow.SessionAccounts;
        for (int i = from; i < to; i++)
        {
            long received = Stopwatch.GetTimestamp();
            session.Process(in messages[i], accounts[i], received);
            if ((i & DeadlineMask) == 0 && received > deadline) return i + 1 - from;
        }
        return to - from;
    }

    /// <summary>The latency loop: from the message decoded to its acknowledgment encoded, per command, into <paramref name="ticks"/>[i - from].</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static int RunTimed(InProcessBinarySession session, DecodedOrderFlow flow, int from, int to, long deadline, long[] ticks)
    {
        var messages = flow.Messages;
        var accounts = flow.SessionAccounts;
        for (int i = from; i < to; i++)
        {
            long a = Stopwatch.GetTimestamp();
            session.Process(in messages[i], accounts[i], a);
            long b = Stopwatch.GetTimestamp();
            ticks[i - from] = b - a;
            if ((i & DeadlineMask) == 0 && b > deadline) return i + 1 - from;
        }
        return to - from;
    }
}
