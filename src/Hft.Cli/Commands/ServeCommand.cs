using Hft.Server;
using Hft.Server.Configuration;

namespace Hft.Cli.Commands;

/// <summary><c>hft serve [--profile NAME]</c>: runs the trading server until SIGTERM/SIGINT. Bad config: one line, exit 2.</summary>
public static class ServeCommand
{
    private const string Help = """
        usage: hft serve [--profile development|staging|production]

        Runs the trading server: REST API, auth, matching shards, metrics and health endpoints.
        The profile comes from --profile, else HFT_PROFILE, else development (no external service needed).
        Config files: config/<profile>.toml (or HFT_CONFIG_DIR); any key overridable as HFT_<SECTION>__<KEY>.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        foreach (var a in args)
        {
            if (a is "-h" or "--help") { stdout.WriteLine(Help); return 0; }
        }
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--profile") { i++; continue; }
            if (args[i].StartsWith("--profile=", StringComparison.Ordinal)) continue;
            stderr.WriteLine($"hft serve: unknown argument '{args[i]}'");
            return 2;
        }
        HftConfig config;
        try
        {
            config = ConfigLoader.Load(args, ConfigLoader.ProcessEnvironment());
        }
        catch (ConfigException e)
        {
            stderr.WriteLine(e.Message);
            return ConfigException.ExitCode;
        }
        stdout.WriteLine($"hft: {ConfigLoader.Describe(config)}");
        var server = HftServer.Create(config);
        try
        {
            server.StartAsync().GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            stderr.WriteLine($"hft serve: cannot listen: {e.Message}");
            return 1;
        }
        foreach (var url in server.Urls) stdout.WriteLine($"hft: listening on {url} (API /api/v1, /metrics, /health, /ready)");
        stdout.WriteLine("hft: ready; stop with Ctrl-C or SIGTERM");
        stdout.Flush();
        server.WaitForShutdownAsync().GetAwaiter().GetResult();
        server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        stdout.WriteLine("hft: stopped");
        return 0;
    }
}
