using HdrHistogram;
using Hft.Core.Matching;

namespace Hft.Cli.Bench;

/// <summary>
/// The figures of a latency pass: percentiles of the per-command times (an HdrHistogram, 1 ns .. 10 s, 3 significant
/// digits, filled after the loop) and the mean time by <see cref="CommandKind"/>.
/// </summary>
internal sealed record LatencySummary(long P50Ns, long P90Ns, long P99Ns, long P999Ns, long MaxNs, double MeanNs, long[] KindCounts, double[] KindMeanNs)
{
    /// <param name="ticks">Stopwatch ticks per command; the first <paramref name="count"/> are used.</param>
    /// <param name="commands">The commands timed, in the same order.</param>
    public static LatencySummary From(long[] ticks, ReadOnlySpan<OrderCommand> commands, int count)
    {
        var histogram = new LongHistogram(10_000_000_000L, 3);
        var kindCounts = new long[CommandKinds.Count];
        var kindTotals = new double[CommandKinds.Count];
        for (int i = 0; i < count; i++)
        {
            long ns = BenchClock.ToNs(ticks[i]);
            histogram.RecordValue(Math.Max(1, ns));
            int k = (int)CommandKinds.Of(in commands[i]);
            kindCounts[k]++;
            kindTotals[k] += ns;
        }
        var kindMeans = new double[CommandKinds.Count];
        for (int k = 0; k < kindMeans.Length; k++) kindMeans[k] = kindCounts[k] == 0 ? 0 : kindTotals[k] / kindCounts[k];
        return new LatencySummary(
            histogram.GetValueAtPercentile(50),
            histogram.GetValueAtPercentile(90),
            histogram.GetValueAtPercentile(99),
            histogram.GetValueAtPercentile(99.9),
            histogram.GetMaxValue(),
            histogram.GetMean(),
            kindCounts,
            kindMeans);
    }
}
