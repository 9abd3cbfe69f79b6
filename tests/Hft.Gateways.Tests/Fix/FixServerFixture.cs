using Hft.Client;
using Hft.Configuration;
using Hft.Gateways.Fix;
using Hft.Node;
using Hft.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// A real <see cref="TradingNode"/> with the development profile, the FIX acceptor on a free loopback port, its
/// sequence files and journal under a temporary directory (kept across <see cref="RestartAsync"/>).
/// </summary>
public sealed class FixServerFixture : IAsyncDisposable
{
    public const string PasswordA1 = "dev-fix-A1";
    public const string PasswordA2 = "dev-fix-A2";

    private readonly Func<HftConfig, HftConfig>? _configure;
    private readonly TimeProvider? _gatewayClock;

    private FixServerFixture(string dir, Func<HftConfig, HftConfig>? configure, TimeProvider? gatewayClock)
    {
        Dir = dir;
        _configure = configure;
        _gatewayClock = gatewayClock;
    }

    public string Dir { get; }

    public TradingNode Server { get; private set; } = null!;

    public int Port => Server.Fix!.EndPoint!.Port;

    /// <summary>The node's audit log (one JSON object per line).</summary>
    public string AuditLogPath => Path.Combine(Dir, "audit.log");

    /// <param name="gatewayClock">Time of the acceptor's login timeout (default: the system clock).</param>
    public static async Task<FixServerFixture> StartAsync(Func<HftConfig, HftConfig>? configure = null, string journalMode = "sync",
        TimeProvider? gatewayClock = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "hft-fix-tests-" + Guid.NewGuid().ToString("N"));
        var fixture = new FixServerFixture(dir, c => (configure ?? (x => x))(c with { Journal = c.Journal with { Mode = journalMode } }), gatewayClock);
        try
        {
            await fixture.StartServerAsync();
            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    private async Task StartServerAsync()
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with
        {
            Monitoring = config.Monitoring with { MetricsPort = 0 },
            Server = config.Server with { HttpPort = 0, AuditLog = Path.Combine(Dir, "audit.log") },
            System = config.System with { WorkerQueueSize = 4096 },
            Journal = config.Journal with { Dir = Path.Combine(Dir, "journal") },
            Gateway = config.Gateway with { FixEnabled = true, FixPort = 0, FixStoreDir = Path.Combine(Dir, "fix"), BinaryEnabled = false },
            Feed = config.Feed with { Enabled = false }, // the mock feed moves marks (and the band): tests stay deterministic
        };
        if (_configure is not null) config = _configure(config);
        Server = TradingNode.Create(config, logging: _ => { }, gatewayClock: _gatewayClock);
        await Server.StartAsync();
    }

    /// <summary>Stops the server gracefully and starts a new one on the same directories.</summary>
    public async Task RestartAsync()
    {
        await Server.StopAsync();
        await Server.DisposeAsync();
        await StartServerAsync();
    }

    public Task<FixClient> ConnectAsync(string sender = "CLIENT_A1", long nextOut = 1)
        => FixClient.ConnectAsync("127.0.0.1", Port, sender, "HFT", nextOut);

    /// <summary>Connects and logs on (new sequence numbers unless <paramref name="nextOut"/> says otherwise).</summary>
    public async Task<FixClient> LogonAsync(string sender = "CLIENT_A1", string? password = null, long nextOut = 1, int heartBtInt = 30)
    {
        var client = await ConnectAsync(sender, nextOut);
        var reply = client.Logon(password ?? (sender == "CLIENT_A2" ? PasswordA2 : PasswordA1), heartBtInt);
        Assert.True(reply.MsgType == "A", "logon refused: " + reply);
        return client;
    }

    /// <summary>How many connections the acceptor closed for <paramref name="reason"/> (hft_gateway_disconnects_total).</summary>
    public async Task<int> DisconnectsAsync(string reason)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Server.Urls[0]), Timeout = TimeSpan.FromSeconds(30) };
        var text = await http.GetStringAsync("/metrics");
        var match = System.Text.RegularExpressions.Regex.Match(text,
            $"hft_gateway_disconnects_total\\{{protocol=\"fix\",reason=\"{reason}\"\\}} (\\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null) // null when the node could not be created
        {
            await Server.StopAsync();
            await Server.DisposeAsync();
        }
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
