using Hft.Routing;
using Hft.Routing.Configuration;

namespace Hft.Cli.Commands;

/// <summary><c>hft route [--config FILE]</c>: runs the routing gateway until SIGTERM/SIGINT. Bad config: one line, exit 2.</summary>
public static class RouteCommand
{
    private const string Help = """
        usage: hft route [--config FILE]

        Runs the routing gateway in front of several replicated hft groups (symbols partitioned over groups): each REST
        request goes to the leader of the group owning its symbol or order id; account reads and mass cancel go to every
        group and are merged. The file is --config, else HFT_ROUTING_CONFIG, else config/routing.toml
        (example: config/routing.example.toml). Endpoints of its own: /health, /ready, /metrics, /routing/status.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? path = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help": stdout.WriteLine(Help); return 0;
                case "--config" when i + 1 < args.Length: path = args[++i]; break;
                default:
                    if (args[i].StartsWith("--config=", StringComparison.Ordinal)) { path = args[i]["--config=".Length..]; break; }
                    stderr.WriteLine($"hft route: unknown argument '{args[i]}'");
                    return 2;
            }
        }
        path ??= Environment.GetEnvironmentVariable(RoutingConfigLoader.PathVariable) is { Length: > 0 } fromEnv ? fromEnv : RoutingConfigLoader.DefaultPath;
        RoutingConfig config;
        try
        {
            config = RoutingConfigLoader.Load(path);
        }
        catch (RoutingConfigException e)
        {
            stderr.WriteLine(e.Message);
            if (!File.Exists(path)) stderr.WriteLine("hft route: copy config/routing.example.toml to start from an example, or pass --config FILE");
            return RoutingConfigException.ExitCode;
        }
        stdout.WriteLine($"hft route: {path}: {config.Groups.Count} groups ({string.Join("; ", config.Groups.Select(g => $"{g.Id}: {string.Join(',', g.Symbols)} on {g.Nodes.Count} nodes"))})");
        var gateway = RoutingGateway.Create(config);
        try
        {
            gateway.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            stderr.WriteLine($"hft route: cannot listen on {config.Listen}: {e.Message}");
            gateway.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 1;
        }
        foreach (var url in gateway.Urls) stdout.WriteLine($"hft route: listening on {url} (API /api/v1, /metrics, /health, /ready, /routing/status)");
        foreach (var g in gateway.Groups) stdout.WriteLine($"hft route: group {g.Id} leader: {g.Leader?.Name ?? "none known yet"}");
        stdout.WriteLine("hft route: ready; stop with Ctrl-C or SIGTERM");
        stdout.Flush();
        gateway.WaitForShutdownAsync().GetAwaiter().GetResult();
        gateway.DisposeAsync().AsTask().GetAwaiter().GetResult();
        stdout.WriteLine("hft route: stopped");
        return 0;
    }
}
