namespace Hft.Cli.Commands;

/// <summary>Maps the first argument to a command. Exit codes: 0 ok, 1 failure, 2 usage or input error.</summary>
public static class CommandDispatcher
{
    public const string Usage = """
        usage: hft <command> [options]

        commands:
          serve                 run the trading server (development profile by default)
          replay FILE           run JSON-lines commands through the engine, print events as JSON lines
          bench                 benchmark the matching engine (single thread, no I/O); --scenario pipeline: a node's order path
          token                 mint a bearer token for an account of the profile (printed alone on stdout)
          crashtest             kill -9 the real server at random moments, restart it, verify what it recovered
          backup                online or offline backup (snapshot + journal) to a .tar.gz; --verify FILE checks one
          loadgen               load a running server over the binary protocol (or REST): throughput and latency
          restore FILE          verify a backup and extract it into an empty data directory (--force to overwrite)
          promote               make a disaster-recovery replica a venue of its own (--url of a running one, or --data-dir)
          route                 run the routing gateway in front of several replicated groups (config/routing.example.toml)
          test                  run every test (handled by the ./hft launcher)

        run 'hft <command> --help' for the options of a command.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        var rest = args.AsSpan(1).ToArray();
        switch (args[0])
        {
            case "replay": return ReplayCommand.Run(rest, stdout, stderr);
            case "bench": return BenchCommand.Run(rest, stdout, stderr);
            case "serve": return ServeCommand.Run(rest, stdout, stderr);
            case "token": return TokenCommand.Run(rest, stdout, stderr);
            case "crashtest": return CrashTestCommand.Run(rest, stdout, stderr);
            case "backup": return BackupCommand.Run(rest, stdout, stderr);
            case "restore": return RestoreCommand.Run(rest, stdout, stderr);
            case "promote": return PromoteCommand.Run(rest, stdout, stderr);
            case "loadgen": return LoadgenCommand.Run(rest, stdout, stderr);
            case "route": return RouteCommand.Run(rest, stdout, stderr);
            default:
                stderr.WriteLine($"hft: unknown command '{args[0]}'");
                stderr.WriteLine(Usage);
                return 2;
        }
    }
}
