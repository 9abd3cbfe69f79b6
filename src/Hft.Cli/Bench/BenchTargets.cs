namespace Hft.Cli.Bench;

/// <summary>The performance targets the figures are compared against (docs/PERFORMANCE.md).</summary>
internal static class BenchTargets
{
    public const double MinOpsPerSec = 5_000_000;
    public const long MaxP99Ns = 1_000;
    public const long MaxP999Ns = 5_000;
    public const long MaxAllocatedBytes = 0;
    public const int MaxGcCollections = 0;

    /// <summary>The <c>pipeline</c> scenario (decoded message to encoded acknowledgment through a whole node).</summary>
    public const double PipelineMinOpsPerSec = 1_000_000;
    public const long PipelineMaxP99Ns = 10_000;

    /// <summary>Deep-book throughput may be at most this many times slower than the shallow (single) scenario.</summary>
    public const double MaxDeepSlowdown = 2.0;

    /// <summary>Pre-trade risk and settlement may add at most this much per command at p50 (risk p50 - single p50).</summary>
    public const long MaxRiskOverheadP50Ns = 100;

    public readonly record struct Check(string Scenario, string Target, string Measured, bool Met);

    /// <summary>
    /// What the risk pipeline adds per command over the engine alone, from the same run: the difference of the
    /// latency passes' p50 and mean, and of the throughput passes' time per command (1 / ops per second).
    /// </summary>
    public readonly record struct RiskOverhead(long P50Ns, double MeanNs, double ThroughputNsPerCommand)
    {
        public bool Met => P50Ns <= MaxRiskOverheadP50Ns;
    }

    public static RiskOverhead? Overhead(IReadOnlyList<BenchResult> results)
    {
        var single = Find(results, "single");
        var risk = Find(results, "risk");
        if (single is null || risk is null) return null;
        return new RiskOverhead(
            risk.P50Ns - single.P50Ns,
            risk.MeanNs - single.MeanNs,
            1e9 / risk.OpsPerSec - 1e9 / single.OpsPerSec);
    }

    public static List<Check> Evaluate(IReadOnlyList<BenchResult> results)
    {
        var checks = new List<Check>();
        foreach (var r in results)
        {
            // deep-cold is the cache-miss worst case (uniform cancels over 1M cold orders): reported, no target.
            if (BenchScenario.HasNoTargets(r.Name)) continue;
            if (r.Name == BenchScenario.Pipeline.Name)
            {
                checks.Add(new(r.Name, ">= 1,000,000 orders/s", $"{r.OpsPerSec:N0}/s", r.OpsPerSec >= PipelineMinOpsPerSec));
                checks.Add(new(r.Name, "p99 <= 10 us", $"{r.P99Ns:N0} ns", r.P99Ns <= PipelineMaxP99Ns));
            }
            else
            {
                checks.Add(new(r.Name, ">= 5,000,000 commands/s", $"{r.OpsPerSec:N0}/s", r.OpsPerSec >= MinOpsPerSec));
                checks.Add(new(r.Name, "p99 <= 1 us", $"{r.P99Ns:N0} ns", r.P99Ns <= MaxP99Ns));
                checks.Add(new(r.Name, "p99.9 <= 5 us", $"{r.P999Ns:N0} ns", r.P999Ns <= MaxP999Ns));
            }
            checks.Add(new(r.Name, "0 bytes allocated", $"{r.AllocatedBytes:N0} B", r.AllocatedBytes <= MaxAllocatedBytes));
            checks.Add(new(r.Name, "0 GC collections", $"{r.GcCollections}", r.GcCollections <= MaxGcCollections));
        }
        var single = Find(results, "single");
        var deep = Find(results, "deep");
        if (single is not null && deep is not null)
        {
            double slowdown = DeepSlowdown(single, deep);
            checks.Add(new("deep vs single", "throughput within 2x", $"{slowdown:0.00}x slower", slowdown <= MaxDeepSlowdown));
        }
        if (Overhead(results) is { } o)
        {
            checks.Add(new("risk vs single", $"risk adds <= {MaxRiskOverheadP50Ns} ns at p50",
                $"{o.P50Ns:+#,0;-#,0;0} ns (mean {o.MeanNs:+#,0.0;-#,0.0;0}, throughput {o.ThroughputNsPerCommand:+#,0.0;-#,0.0;0} ns/cmd)", o.Met));
        }
        return checks;
    }

    /// <summary>How many times lower the deep scenario's throughput is than the single one's.</summary>
    public static double DeepSlowdown(BenchResult single, BenchResult deep) => single.OpsPerSec / deep.OpsPerSec;

    private static BenchResult? Find(IReadOnlyList<BenchResult> results, string name)
    {
        foreach (var r in results)
            if (r.Name == name) return r;
        return null;
    }
}
