using System.Net.Http.Headers;
using System.Text.Json;
using Hft.Auth;
using Hft.Client;
using Hft.Configuration;
using Hft.Gateways.Binary;
using Hft.Node;
using Hft.Server;
using Hft.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Gateways.Tests.Support;

/// <summary>
/// A real <see cref="TradingNode"/> with the gateway module and the binary gateway on a free loopback port, the
/// development profile (API keys dev-key-A1, dev-key-A2), a temporary directory for the audit log, journal and FIX stores, and an
/// HTTP client for the REST API. <c>await using var s = await GatewayFixture.StartAsync();</c>
/// </summary>
public sealed class GatewayFixture : IAsyncDisposable
{
    public const string KeyA1 = "dev-key-A1";
    public const string KeyA2 = "dev-key-A2";

    /// <summary>BTCUSD: tick 0.01, lot 0.0001 (instrument 0). 50000.00 = 5,000,000 ticks; 1 BTC = 10,000 lots.</summary>
    public const int Btc = 0;

    /// <summary>ETHUSD: tick 0.01, lot 0.001 (instrument 1).</summary>
    public const int Eth = 1;

    private readonly List<BinaryClient> _clients = new();
    private readonly bool _ownsDir;

    private GatewayFixture(TradingNode server, string dir, bool ownsDir)
    {
        Server = server;
        Dir = dir;
        _ownsDir = ownsDir;
        Http = new HttpClient { BaseAddress = new Uri(server.Urls[0]), Timeout = TimeSpan.FromSeconds(30) };
        Tokens = new TokenService(server.Config.Auth, SigningKeys.From(server.Config.Auth));
    }

    public TradingNode Server { get; }

    public HttpClient Http { get; }

    public TokenService Tokens { get; }

    /// <summary>Temporary directory (audit log, journal, FIX stores); deleted on dispose unless the caller passed it in.</summary>
    public string Dir { get; }

    public BinaryGateway Gateway => Server.Binary!;

    public int Port => Gateway.EndPoint!.Port;

    /// <summary>The development profile with free ports, the binary gateway on, then <paramref name="configure"/>'s changes.</summary>
    public static async Task<GatewayFixture> StartAsync(Func<HftConfig, HftConfig>? configure = null, string? dir = null)
    {
        bool owns = dir is null;
        dir ??= Path.Combine(Path.GetTempPath(), "hft-gateway-tests-" + Guid.NewGuid().ToString("N"));
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with
        {
            Monitoring = config.Monitoring with { MetricsPort = 0 },
            Server = config.Server with { HttpPort = 0, AuditLog = Path.Combine(dir, "audit.log") },
            System = config.System with { WorkerQueueSize = 4096 },
            Journal = config.Journal with { Dir = Path.Combine(dir, "journal") },
            Gateway = config.Gateway with { BinaryEnabled = true, BinaryPort = 0, FixEnabled = false, FixStoreDir = Path.Combine(dir, "fix") },
            Feed = config.Feed with { Enabled = false }, // the mock feed moves marks (and the band): tests stay deterministic
        };
        if (configure is not null) config = configure(config);
        TradingNode? server = null;
        try
        {
            server = TradingNode.Create(config, logging: _ => { });
            await server.StartAsync();
            return new GatewayFixture(server, dir, owns);
        }
        catch
        {
            if (server is not null) await server.DisposeAsync();
            if (owns && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    /// <summary>A connected client (disposed with the fixture), responses on its channel.</summary>
    public async Task<BinaryClient> ConnectAsync()
    {
        var client = await BinaryClient.ConnectAsync("127.0.0.1", Port);
        _clients.Add(client);
        return client;
    }

    /// <summary>A client logged in with an API key (asserts LoginAccepted).</summary>
    public async Task<BinaryClient> LoginAsync(string key = KeyA1)
    {
        var client = await ConnectAsync();
        var reply = await client.LoginAsync(AuthKind.ApiKey, key);
        Assert.Equal(MessageType.LoginAccepted, reply.Type);
        return client;
    }

    public Task<JsonElement> GetJsonAsync(string path, string account) => SendJsonAsync(HttpMethod.Get, path, account);

    /// <summary>A REST request of <paramref name="account"/> (a trader) with a JSON body; asserts success and returns the answer.</summary>
    public async Task<JsonElement> SendJsonAsync(HttpMethod method, string path, string account, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Mint(account, Roles.Trader));
        using var response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public async Task<string> MetricsAsync() => await Http.GetStringAsync("/metrics");

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients) c.Dispose();
        Http.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
        if (!_ownsDir) return;
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
