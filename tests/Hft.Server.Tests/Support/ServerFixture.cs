using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hft.Auth;
using Hft.Configuration;
using Hft.Node;
using Hft.Server.Auth;

namespace Hft.Server.Tests.Support;

/// <summary>
/// A real <see cref="TradingNode"/> on a free loopback port (metrics port 0) with the embedded development profile,
/// its audit log in a temporary directory, an <see cref="HttpClient"/> on it and tokens minted with the profile's
/// keys. One per test: <c>await using var s = await ServerFixture.StartAsync();</c>.
/// </summary>
public sealed class ServerFixture : IAsyncDisposable
{
    private readonly TokenService _tokens;

    private ServerFixture(TradingNode server, HttpClient client, string tempDir)
    {
        Server = server;
        Client = client;
        TempDir = tempDir;
        _tokens = new TokenService(server.Config.Auth, SigningKeys.From(server.Config.Auth));
    }

    public TradingNode Server { get; }

    public HttpClient Client { get; }

    /// <summary>Deleted on dispose.</summary>
    public string TempDir { get; }

    public HftConfig Config => Server.Config;

    public string AuditPath => Server.Audit.Path;

    public string AdminToken => Token("ADMIN", Roles.Admin);

    public string Token(string account, string role = Roles.Trader) => _tokens.Mint(account, role);

    public TokenService Tokens => _tokens;

    /// <summary>The development profile with free ports and the audit log under a fresh temp dir (in a directory
    /// that does not exist yet), then <paramref name="configure"/>'s changes.</summary>
    public static async Task<ServerFixture> StartAsync(Func<HftConfig, HftConfig>? configure = null)
    {
        string temp = Path.Combine(Path.GetTempPath(), "hft-server-tests-" + Guid.NewGuid().ToString("N"));
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with
        {
            Monitoring = config.Monitoring with { MetricsPort = 0 },
            Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false }, // REST only
            Server = config.Server with { HttpPort = 0, AuditLog = Path.Combine(temp, "audit", "audit.log") },
            System = config.System with { WorkerQueueSize = 1024 },
            Feed = config.Feed with { Enabled = false }, // the mock feed moves marks: tests that want it turn it on
        };
        if (configure is not null) config = configure(config);
        TradingNode? server = null;
        try
        {
            server = TradingNode.Create(config, logging: _ => { });
            await server.StartAsync();
            var client = new HttpClient { BaseAddress = new Uri(server.Urls[0]), Timeout = TimeSpan.FromSeconds(30) };
            return new ServerFixture(server, client, temp);
        }
        catch
        {
            if (server is not null) await server.DisposeAsync();
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(TempDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // ---- HTTP ----

    /// <summary>Sends a request (body: a string is sent as is, anything else serialized as JSON) and reads the JSON reply.</summary>
    public async Task<Reply> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            string text = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }
        using var response = await Client.SendAsync(request);
        string content = await response.Content.ReadAsStringAsync();
        JsonElement json = default;
        if (content.Length > 0)
        {
            using var doc = JsonDocument.Parse(content);
            json = doc.RootElement.Clone();
        }
        return new Reply(response.StatusCode, json, content);
    }

    public Task<Reply> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public Task<Reply> PostAsync(string path, string? token, object? body = null) => SendAsync(HttpMethod.Post, path, token, body);

    public Task<Reply> PutAsync(string path, string? token, object? body) => SendAsync(HttpMethod.Put, path, token, body);

    public Task<Reply> DeleteAsync(string path, string? token) => SendAsync(HttpMethod.Delete, path, token);

    public Task<Reply> AdminAsync(HttpMethod method, string path, object? body = null)
        => SendAsync(method, "/api/v1/admin" + path, AdminToken, body);

    /// <summary>Places a GTC limit order for the token's account.</summary>
    public Task<Reply> PlaceLimitAsync(string token, string symbol, string side, string price, string qty)
        => PostAsync("/api/v1/orders", token, new { symbol, side, type = "limit", price, qty });

    /// <summary>Places a GTC limit order that must be accepted; returns its id.</summary>
    public async Task<long> PlaceRestingAsync(string token, string symbol, string side, string price, string qty)
    {
        var reply = await PlaceLimitAsync(token, symbol, side, price, qty);
        reply.ShouldBe(HttpStatusCode.Created);
        return reply.Json.GetProperty("id").GetInt64();
    }

    /// <summary>GET /api/v1/orders?status=all for the token's account, by id.</summary>
    public async Task<Dictionary<long, JsonElement>> OrdersAsync(string token)
    {
        var reply = await GetAsync("/api/v1/orders?status=all", token);
        reply.ShouldBe(HttpStatusCode.OK);
        return reply.Json.EnumerateArray().ToDictionary(o => o.GetProperty("id").GetInt64());
    }

    // ---- audit ----

    /// <summary>Every line of the audit file, parsed (the server keeps it open; it is read shared).</summary>
    public List<JsonElement> AuditLines()
    {
        using var stream = new FileStream(AuditPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<JsonElement>();
        while (reader.ReadLine() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            lines.Add(doc.RootElement.Clone());
        }
        return lines;
    }

    /// <summary>The audit lines of one action (in order).</summary>
    public List<JsonElement> AuditOf(string action)
        => AuditLines().Where(l => l.GetProperty("action").GetString() == action).ToList();
}

/// <summary>A reply: status, parsed JSON body (default when empty) and the raw text.</summary>
public sealed record Reply(HttpStatusCode Status, JsonElement Json, string Text)
{
    public Reply ShouldBe(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"expected {(int)expected} {expected}, got {(int)Status} {Status}: {Text}");
        return this;
    }

    /// <summary>Asserts the status and the API's error shape with the given code; returns the message.</summary>
    public string ShouldBeError(HttpStatusCode expected, string code)
    {
        ShouldBe(expected);
        var error = Json.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrEmpty(message));
        return message!;
    }

    public string? Str(string name) => Json.GetProperty(name).ValueKind == JsonValueKind.Null ? null : Json.GetProperty(name).GetString();
}
