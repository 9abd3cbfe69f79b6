namespace Hft.Cli.Bench;

/// <summary>Parsed options of <c>hft bench</c>.</summary>
internal sealed record BenchOptions
{
    public const int DefaultCommands = 2_000_000;
    public const ulong DefaultSeed = 20_240_601;
    public const int MaxCommands = 100_000_000;

    public const int DefaultBatch = 16;
    public const int MaxBatch = 1024;

    public int Commands { get; init; } = DefaultCommands;

    /// <summary>The pipeline scenario: decoded messages submitted together, as one gateway read of a busy connection.</summary>
    public int Batch { get; init; } = DefaultBatch;
    public ulong Seed { get; init; } = DefaultSeed;
    /// <summary>"all", a comma list of scenario names, or null: the default run (every scenario but those kept out of it).</summary>
    public string? Scenario { get; init; }
    public bool Json { get; init; }
    public string? Input { get; init; }
    public bool Help { get; init; }

    public const string Usage = """
        usage: hft bench [options]

        Benchmarks the matching engine alone (single thread, no I/O), in the risk scenario the command step
        (validate, pre-trade risk, matching, risk settlement), and in the pipeline scenario the order path of a
        whole node, from a decoded binary order-entry message to its encoded acknowledgment (journal async in a
        temporary directory). The command stream is generated from a seed before timing; each scenario runs a
        warm-up, a throughput pass and a latency pass.

        options:
          --scenario NAME   single | risk | multi | deep | deep-cold | pipeline | all, or a comma list
                            (default: every scenario but pipeline)
          --commands N      commands in the measured stream per scenario (default 2000000; pipeline: at most 1000000)
          --seed N          seed of the generated order flow (default 20240601)
          --batch N         pipeline: messages submitted together, as in one read of a busy connection (default 16;
                            1 = one message per read, each written to the journal alone)
          --json            print one JSON object instead of tables
          --input FILE      time the engine on a replay command file (JSON lines) instead of generated flow
          -h, --help        this help
        """;

    /// <summary>Whether this run includes <paramref name="scenario"/>.</summary>
    public bool Selects(BenchScenario scenario)
        => Scenario switch
        {
            null => scenario.InDefaultRun,
            "all" => true,
            _ => Array.IndexOf(Scenario.Split(','), scenario.Name) >= 0,
        };

    /// <summary>Parses arguments; on failure returns null with a message.</summary>
    public static BenchOptions? Parse(string[] args, out string? error)
    {
        var o = new BenchOptions();
        error = null;
        bool scenarioGiven = false, commandsGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? value = null;
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                value = a[(eq + 1)..];
                a = a[..eq];
            }
            switch (a)
            {
                case "-h" or "--help":
                    return o with { Help = true };
                case "--json":
                    if (value is not null) { error = "--json takes no value"; return null; }
                    o = o with { Json = true };
                    break;
                case "--scenario" or "--commands" or "--seed" or "--input" or "--batch":
                    if (value is null)
                    {
                        if (i + 1 >= args.Length) { error = $"{a} needs a value"; return null; }
                        value = args[++i];
                    }
                    switch (a)
                    {
                        case "--scenario":
                            if (value != "all" && value.Split(',').Any(v => BenchScenario.Find(v) is null))
                            {
                                error = $"unknown scenario '{value}' (expected {BenchScenario.Names} or all)";
                                return null;
                            }
                            o = o with { Scenario = value };
                            scenarioGiven = true;
                            break;
                        case "--commands":
                            if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)
                                || n < 1 || n > MaxCommands)
                            {
                                error = $"--commands must be a whole number from 1 to {MaxCommands:N0}, got '{value}'";
                                return null;
                            }
                            o = o with { Commands = n };
                            commandsGiven = true;
                            break;
                        case "--batch":
                            if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int b)
                                || b < 1 || b > MaxBatch)
                            {
                                error = $"--batch must be a whole number from 1 to {MaxBatch:N0}, got '{value}'";
                                return null;
                            }
                            o = o with { Batch = b };
                            break;
                        case "--seed":
                            if (!ulong.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong seed))
                            {
                                error = $"--seed must be a non-negative whole number, got '{value}'";
                                return null;
                            }
                            o = o with { Seed = seed };
                            break;
                        default:
                            if (value.Length == 0) { error = "--input needs a file name"; return null; }
                            o = o with { Input = value };
                            break;
                    }
                    break;
                default:
                    error = $"unknown option '{args[i]}'";
                    return null;
            }
        }
        if (o.Input is not null && (scenarioGiven || commandsGiven))
        {
            error = "--input times the file's own commands; it cannot be combined with --scenario or --commands";
            return null;
        }
        return o;
    }
}
