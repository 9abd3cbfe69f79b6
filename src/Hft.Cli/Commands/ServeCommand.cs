using Hft.Configuration;
using Hft.Node;

namespace Hft.Cli.Commands;

/// <summary>
/// <c>hft serve [--profile NAME]</c>: runs the trading server until SIGTERM/SIGINT. Bad config, a corrupt journal or a
/// data directory another process holds: one line, exit 2.
/// </summary>
public static class ServeCommand
{
    private const string Help = """
        usage: hft serve [--profile development|staging|production] [--repair]

        Runs the trading server: REST API, auth, matching shards, metrics and health endpoints. The API listens on
        [server] http_port and /metrics, /debug on [monitoring] metrics_port (/health, /ready on both); http_port = 0
        shares one port (development). The first lines say which port serves what.
        The profile comes from --profile, else HFT_PROFILE, else development (no external service needed).
        Config files: config/<profile>.toml (or HFT_CONFIG_DIR); any key overridable as HFT_<SECTION>__<KEY>.
          --repair   start even if the journal is corrupt in the middle: cut it at the first bad record
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        foreach (var a in args)
        {
            if (a is "-h" or "--help") { stdout.WriteLine(Help); return 0; }
        }
        bool repair = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--repair") { repair = true; continue; }
            if (args[i] == "--profile") { i++; continue; }
            if (args[i].StartsWith("--profile=", StringComparison.Ordinal)) continue;
            stderr.WriteLine($"hft serve: unknown argument '{args[i]}'");
            return 2;
        }
        if (!ProfileConfig.TryLoad(args.Where(a => a != "--repair").ToList(), stderr, out var config)) return ConfigException.ExitCode;
        if (repair) config = config with { Journal = config.Journal with { Repair = true } };
        stdout.WriteLine($"hft: {ConfigLoader.Describe(config)}");
        TradingNode node;
        try
        {
            node = TradingNode.Create(config);
        }
        catch (Hft.Journal.JournalCorruptException e)
        {
            stderr.WriteLine($"hft serve: {e.Message}; refusing to start (run with --repair to cut the journal there)");
            return 2;
        }
        catch (Hft.Auth.Tls.TlsFileException e)
        {
            stderr.WriteLine($"hft serve: tls: {e.Message}");
            return 2;
        }
        catch (Hft.Journal.DataDirectoryLockException e)
        {
            stderr.WriteLine($"hft serve: {e.Message}; refusing to start (one process per data directory, docs/RUNBOOK.md)");
            return 2;
        }
        try
        {
            node.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            stderr.WriteLine($"hft serve: cannot listen: {e.Message}");
            return 1;
        }
        foreach (var (url, serves) in node.Api!.ListenerRoles) stdout.WriteLine($"hft: listening on {url.GetLeftPart(UriPartial.Authority)} ({serves})");
        if (node.Binary?.EndPoint is { } binary) stdout.WriteLine($"hft: binary order entry on {binary} (docs/protocol/binary.md)");
        if (node.Fix?.EndPoint is { } fix)
            stdout.WriteLine($"hft: FIX 4.4 acceptor listening on {fix} (sessions: {string.Join(", ", config.Gateway.FixSessions.Select(s => s.SenderCompId))})");
        stdout.WriteLine("hft: ready; stop with Ctrl-C or SIGTERM");
        stdout.Flush();
        node.WaitForShutdownAsync().GetAwaiter().GetResult();
        node.DisposeAsync().AsTask().GetAwaiter().GetResult();
        stdout.WriteLine("hft: stopped");
        return 0;
    }
}
