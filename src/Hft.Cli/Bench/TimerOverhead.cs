using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Hft.Cli.Bench;

/// <summary>
/// Cost of the latency probe itself: two back-to-back <see cref="Stopwatch.GetTimestamp"/> calls, as placed
/// around each command in the latency pass. Reported next to the latencies, never subtracted from them.
/// </summary>
internal readonly record struct TimerOverhead(long MinNs, long MedianNs, long P99Ns, long ResolutionNs)
{
    public static TimerOverhead Measure(int samples = 1_000_000)
    {
        var deltas = new long[samples];
        Sample(deltas); // warm
        Sample(deltas);
        Array.Sort(deltas);
        return new TimerOverhead(
            BenchClock.ToNs(deltas[0]),
            BenchClock.ToNs(deltas[samples / 2]),
            BenchClock.ToNs(deltas[(int)(samples * 0.99)]),
            Math.Max(1, (long)Math.Round(1e9 / Stopwatch.Frequency)));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Sample(long[] deltas)
    {
        for (int i = 0; i < deltas.Length; i++)
        {
            long a = Stopwatch.GetTimestamp();
            long b = Stopwatch.GetTimestamp();
            deltas[i] = b - a;
        }
    }
}

/// <summary>Stopwatch ticks to nanoseconds.</summary>
internal static class BenchClock
{
    private static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;

    public static long ToNs(long ticks) => Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)Math.Round(ticks * NsPerTick);
}
