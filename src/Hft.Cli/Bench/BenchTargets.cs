namespace Hft.Cli.Bench;

/// <summary>The performance targets the figures are compared against (docs/PERFORMANCE.md).</summary>
internal static class BenchTargets
{
    public const double MinOpsPerSec = 5_000_000;
    public const long MaxP99Ns = 1_000;
    public const long MaxP999Ns = 5_000;
    public const long MaxAllocatedBytes = 0;
    public const int MaxGcCollections = 0;

    /// <summary>Deep-book throughput may be at most this many times slower than the shallow (single) scenario.</summary>
    public const double MaxDeepSlowdown = 2.0;

    public readonly record struct Check(string Scenario, string Target, string Measured, bool Met);

    public static List<Check> Evaluate(IReadOnlyList<BenchResult> results)
    {
        var checks = new List<Check>();
        BenchResult? single = null, deep = null;
        foreach (var r in results)
        {
            if (r.Name == "single") single = r;
            if (r.Name == "deep") deep = r;
            checks.Add(new(r.Name, ">= 5,000,000 commands/s", $"{r.OpsPerSec:N0}/s", r.OpsPerSec >= MinOpsPerSec));
            checks.Add(new(r.Name, "p99 <= 1 us", $"{r.P99Ns:N0} ns", r.P99Ns <= MaxP99Ns));
            checks.Add(new(r.Name, "p99.9 <= 5 us", $"{r.P999Ns:N0} ns", r.P999Ns <= MaxP999Ns));
            checks.Add(new(r.Name, "0 bytes allocated", $"{r.AllocatedBytes:N0} B", r.AllocatedBytes <= MaxAllocatedBytes));
            checks.Add(new(r.Name, "0 GC collections", $"{r.GcCollections}", r.GcCollections <= MaxGcCollections));
        }
        if (single is not null && deep is not null)
        {
            double slowdown = DeepSlowdown(single, deep);
            checks.Add(new("deep vs single", "throughput within 2x", $"{slowdown:0.00}x slower", slowdown <= MaxDeepSlowdown));
        }
        return checks;
    }

    /// <summary>How many times lower the deep scenario's throughput is than the single one's.</summary>
    public static double DeepSlowdown(BenchResult single, BenchResult deep) => single.OpsPerSec / deep.OpsPerSec;
}
