using Hft.Cli.Bench;

namespace Hft.Cli.Commands;

/// <summary><c>hft bench</c>: parses options, builds the workloads (untimed), runs and reports them.</summary>
public static class BenchCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = BenchOptions.Parse(args, out var error);
        if (options is null)
        {
            stderr.WriteLine($"hft bench: {error}");
            stderr.WriteLine(BenchOptions.Usage);
            return 2;
        }
        if (options.Help)
        {
            stdout.WriteLine(BenchOptions.Usage);
            return 0;
        }

        var results = new List<BenchResult>();
        if (options.Input is not null)
        {
            if (!File.Exists(options.Input))
            {
                stderr.WriteLine($"hft bench: input file '{options.Input}' not found");
                return 2;
            }
            stderr.WriteLine($"bench: reading {options.Input}");
            var workload = ReplayWorkload.Load(options.Input, out var loadError);
            if (workload is null)
            {
                stderr.WriteLine($"hft bench: {loadError}");
                return 2;
            }
            var overheadReplay = TimerOverhead.Measure();
            results.Add(BenchRunner.Run(workload, stderr));
            Report(options, results, overheadReplay, stdout);
            return 0;
        }

        var overhead = TimerOverhead.Measure();
        foreach (var scenario in BenchScenario.All)
        {
            if (!options.Selects(scenario)) continue;
            if (scenario.ThroughNode)
            {
                results.Add(PipelineRunner.Run(scenario, options.Commands, options.Seed, options.Batch, stderr));
                continue;
            }
            stderr.WriteLine($"bench: {scenario.Name}: generating {options.Commands:N0} commands (seed {options.Seed})");
            var workload = OrderFlowGenerator.Generate(scenario, options.Commands, options.Seed);
            results.Add(BenchRunner.Run(workload, stderr));
        }
        Report(options, results, overhead, stdout);
        return 0;
    }

    private static void Report(BenchOptions options, List<BenchResult> results, TimerOverhead overhead, TextWriter stdout)
    {
        if (options.Json) BenchReport.WriteJson(results, overhead, stdout);
        else BenchReport.WriteTable(results, overhead, stdout);
    }
}
