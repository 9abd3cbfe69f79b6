using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hft.Auth;
using Hft.Configuration;
using Hft.Node;
using Hft.Server;
using Hft.Server.Auth;

namespace Hft.Routing.Tests.Support;

/// <summary>
/// A real single-node <see cref="TradingNode"/> serving one symbol group: the development profile with only the group's
/// instruments (listed and enabled), the feed off, free loopback ports, the audit log in a temporary directory.
/// The group is set with <c>HFT_REPLICATION__GROUP</c> (<c>[replication] group</c>): order ids of group g start above g &lt;&lt; 40.
/// </summary>
public sealed class GroupServer : IAsyncDisposable
{
    private readonly string _temp;
    private readonly TokenService _tokens;

    private GroupServer(TradingNode server, int group, string temp)
    {
        Server = server;
        Group = group;
        _temp = temp;
        _tokens = new TokenService(server.Config.Auth, SigningKeys.From(server.Config.Auth));
        BaseUrl = server.Urls.First(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
    }

    public TradingNode Server { get; }

    public int Group { get; }

    /// <summary>http://127.0.0.1:PORT (no trailing slash).</summary>
    public string BaseUrl { get; }

    public int Port => new Uri(BaseUrl).Port;

    public static async Task<GroupServer> StartAsync(int group, string[] symbols, int port = 0)
    {
        string temp = Path.Combine(Path.GetTempPath(), "hft-routing-tests-" + Guid.NewGuid().ToString("N"));
        var env = new Dictionary<string, string?> { ["HFT_REPLICATION__GROUP"] = group.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var config = ConfigLoader.Load("development", null, env);
        config = config with
        {
            Monitoring = config.Monitoring with { MetricsPort = port },
            Server = config.Server with { HttpPort = 0, AuditLog = Path.Combine(temp, "audit.log") },
            System = config.System with { WorkerQueueSize = 1024, MaxWorkers = 1 },
            Feed = config.Feed with { Enabled = false },
            Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false, FixStoreDir = Path.Combine(temp, "fix") },
            Trading = config.Trading with
            {
                EnabledSymbols = symbols,
                Instruments = config.Trading.Instruments.Where(i => symbols.Contains(i.Symbol)).ToList(),
            },
        };
        var server = TradingNode.Create(config, logging: _ => { });
        try
        {
            await server.StartAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return new GroupServer(server, group, temp);
    }

    public string Token(string account = "A1", string role = Roles.Trader) => _tokens.Mint(account, role);

    /// <summary>A client straight to this server (not through the gateway).</summary>
    public HttpClient Direct(string? account = "A1")
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        if (account is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(account));
        return client;
    }

    /// <summary>The account's orders (status=all) as this server has them, by id.</summary>
    public async Task<Dictionary<long, JsonElement>> OrdersAsync(string account = "A1")
    {
        using var client = Direct(account);
        var reply = await client.SendJson(HttpMethod.Get, "api/v1/orders?status=all&limit=5000");
        reply.ShouldBe(200);
        return reply.Json.EnumerateArray().ToDictionary(o => o.GetProperty("id").GetInt64());
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Server.StopAsync(cts.Token);
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>An HTTP answer: status, parsed JSON (default when empty or not JSON), headers, raw text.</summary>
public sealed record Reply(int Status, JsonElement Json, HttpResponseMessage Message, string Text)
{
    public Reply ShouldBe(int expected)
    {
        Assert.True(Status == expected, $"expected {expected}, got {Status}: {Text}");
        return this;
    }

    /// <summary>Asserts the status and the API's error shape with this code; returns the message.</summary>
    public string ShouldBeError(int expected, string code)
    {
        ShouldBe(expected);
        var error = Json.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    public string? Header(string name)
        => Message.Headers.TryGetValues(name, out var v) ? string.Join(",", v)
            : Message.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : null;

    public long Id => Json.GetProperty("id").GetInt64();
}

public static class HttpJson
{
    public static async Task<Reply> SendJson(this HttpClient client, HttpMethod method, string path, object? body = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement json = default;
        if (text.Length > 0)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                json = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
            }
        }
        return new Reply((int)response.StatusCode, json, response, text);
    }

    public static object Limit(string symbol, string side, string price, string qty, string? clientOrderId = null)
        => clientOrderId is null
            ? new { symbol, side, type = "limit", tif = "gtc", price, qty }
            : new { clientOrderId, symbol, side, type = "limit", tif = "gtc", price, qty };
}
