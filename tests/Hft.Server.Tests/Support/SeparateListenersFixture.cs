using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hft.Auth;
using Hft.Configuration;
using Hft.Configuration.Tests;
using Hft.Node;
using Hft.Server.Auth;
using Hft.Server.Listeners;

namespace Hft.Server.Tests.Support;

/// <summary>
/// A real <see cref="TradingNode"/> from the shipped staging profile - the API and the operations listener apart, as
/// staging and production run - on two free loopback ports, with a client for each. Journal and audit log in a temp
/// dir, no Redis. Stopped and deleted on dispose.
/// </summary>
public sealed class SeparateListenersFixture : IAsyncDisposable
{
    private const string Secret = "staging-test-secret-0123456789-0123456789";
    private readonly TokenService _tokens;

    private SeparateListenersFixture(TradingNode server, string temp)
    {
        Server = server;
        TempDir = temp;
        Api = new HttpClient { BaseAddress = server.Api!.Listeners.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        Operations = new HttpClient { BaseAddress = server.Api.Listeners.OperationsUrl, Timeout = TimeSpan.FromSeconds(30) };
        _tokens = new TokenService(server.Config.Auth, SigningKeys.From(server.Config.Auth));
    }

    public TradingNode Server { get; }

    /// <summary>A client of the API listener ([server] http_port).</summary>
    public HttpClient Api { get; }

    /// <summary>A client of the operations listener ([monitoring] metrics_port).</summary>
    public HttpClient Operations { get; }

    public string TempDir { get; }

    /// <summary>The shipped staging profile as a test runs it: loopback, temp journal, no Redis, then <paramref name="edit"/>.</summary>
    public static HftConfig Config(string temp, Func<HftConfig, HftConfig>? edit = null)
    {
        var config = ConfigLoader.Load("staging", RepoConfig.Dir, new Dictionary<string, string?>
        {
            ["HFT_AUTH__SECRET"] = Secret,
            ["HFT_SERVER__BIND"] = "127.0.0.1",
            ["HFT_SERVER__AUDIT_LOG"] = Path.Combine(temp, "audit.log"),
            ["HFT_JOURNAL__DIR"] = Path.Combine(temp, "journal"),
            ["HFT_REDIS__CONNECTION"] = "",
        });
        return edit is null ? config : edit(config);
    }

    public static async Task<SeparateListenersFixture> StartAsync(Func<HftConfig, HftConfig>? edit = null)
    {
        string temp = Directory.CreateTempSubdirectory("hft-ops-listener-").FullName;
        TradingNode? server = null;
        try
        {
            server = TradingNode.Create(Config(temp, edit), logging: _ => { }, listeners: ListenerPlan.SeparateOnFreePorts);
            await server.StartAsync();
            return new SeparateListenersFixture(server, temp);
        }
        catch
        {
            if (server is not null) await server.DisposeAsync();
            Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    public string Token(string account, string role = Roles.Trader) => _tokens.Mint(account, role);

    /// <summary>GET <paramref name="path"/> through <paramref name="client"/>, with a bearer token when given: status and body text.</summary>
    public static async Task<(int Status, string Text)> GetAsync(HttpClient client, string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Rests a buy of <paramref name="account"/> on BTCUSD through the API listener.</summary>
    public async Task RestBuyAsync(string account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { symbol = "BTCUSD", side = "buy", type = "limit", price = "49000", qty = "0.1" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(account));
        using var response = await Api.SendAsync(request);
        Assert.True((int)response.StatusCode == 201, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Operations.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
        Directory.Delete(TempDir, recursive: true);
    }
}
