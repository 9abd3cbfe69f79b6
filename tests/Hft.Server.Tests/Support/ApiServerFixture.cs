using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hft.Auth;
using Hft.Configuration;
using Hft.Node;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Hft.Server.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hft.Server.Tests.Support;

/// <summary>
/// A real <see cref="TradingNode"/> (Kestrel on a free loopback port, real pipeline and shards) started from the embedded
/// development profile with optional <c>with</c> overrides; HTTP helpers and token minting for the tests that use it.
/// As an xunit class fixture it runs the plain development profile; <see cref="StartAsync"/> starts one with overrides.
/// </summary>
public class ApiServerFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly Func<HftConfig, HftConfig>? _configure;
    private Hft.Server.MarketData.MarketDataOptions? _marketData;
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private TradingNode? _server;
    private HttpClient? _anonymous;

    public ApiServerFixture() : this(null)
    {
    }

    protected ApiServerFixture(Func<HftConfig, HftConfig>? configure) => _configure = configure;

    /// <summary>The embedded development profile, no environment overrides.</summary>
    public static HftConfig DevelopmentConfig() => ConfigLoader.Load("development", null, new Dictionary<string, string?>());

    /// <summary>Starts a server on <paramref name="configure"/>(development profile); dispose it when done.</summary>
    public static async Task<ApiServerFixture> StartAsync(Func<HftConfig, HftConfig> configure, Hft.Server.MarketData.MarketDataOptions? marketData = null)
    {
        var fixture = new ApiServerFixture(configure) { _marketData = marketData };
        await fixture.InitializeAsync();
        return fixture;
    }

    public TradingNode Server => _server ?? throw new InvalidOperationException("server not started");

    public HftConfig Config => Server.Config;

    public TradingPipeline Pipeline => Server.Pipeline;

    /// <summary>The pipeline, or null while the node is being restarted: a condition polled across a restart reads "not yet".</summary>
    public TradingPipeline? PipelineIfRunning => _server?.Pipeline;

    public OrderDirectory Directory => Server.Services.GetRequiredService<OrderDirectory>();

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>A client without Authorization header.</summary>
    public HttpClient Anonymous => _anonymous ??= NewClient(null);

    public async Task InitializeAsync()
    {
        var config = DevelopmentConfig();
        config = config with { Monitoring = config.Monitoring with { MetricsPort = 0 }, Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false } };
        config = config with { Feed = config.Feed with { Enabled = false } }; // the mock feed moves marks: tests that want it turn it on
        if (_configure is not null) config = _configure(config);
        _config = config;
        // A restart asked for while the node is still starting (a snapshot installed during its start) waits for the start.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_clients) _restart = started.Task;
        try
        {
            await StartNodeAsync();
        }
        finally
        {
            started.SetResult();
        }
    }

    private HftConfig? _config;
    private Task _restart = Task.CompletedTask;
    private int _restarts;

    /// <summary>Times this node was restarted because its state had to be rebuilt from its data directories (replicated mode).</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    private async Task StartNodeAsync()
    {
        // Quiet (no console logger in tests). A replicated node whose state must be rebuilt is restarted here, as its
        // supervisor would restart the process that exits 75 - never Environment.Exit inside the test host.
        Action<ILoggingBuilder>? logging = NodeLogs ? null
            : _config!.Replication.Enabled ? b => b.AddProvider(Logs) // a replicated node's story is kept for a failing test
            : _ => { };
        _server = TradingNode.Create(_config!, logging, _marketData, onRestartNeeded: RestartNeeded);
        await _server.StartAsync();
        var url = _server.Urls.FirstOrDefault(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
                  ?? throw new InvalidOperationException("no loopback address in " + string.Join(", ", _server.Urls));
        BaseAddress = new Uri(url + "/");
    }

    /// <summary>A replicated node's last log lines (its restarts included), for the message of a test that fails.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>HFT_TEST_NODE_LOGS=1: the nodes log to the console (the test's output) as `hft serve` does, to see why a test failed.</summary>
    private static readonly bool NodeLogs = Environment.GetEnvironmentVariable("HFT_TEST_NODE_LOGS") == "1";

    /// <summary>
    /// The node's Raft commit index and snapshot index when it asked to be restarted, first request first (a node
    /// rebased onto the group's snapshot must ask only once it has recorded the snapshot, and the leader knows it).
    /// </summary>
    public IReadOnlyList<(long Commit, long Snapshot)> RaftAtRestartRequests
    {
        get
        {
            lock (_raftAtRestart) return [.. _raftAtRestart];
        }
    }

    private readonly List<(long Commit, long Snapshot)> _raftAtRestart = [];

    private void RestartNeeded(string reason)
    {
        Console.WriteLine($"node restarts: {reason}");
        var raft = _server?.Services.GetService<Hft.Pipeline.Replication.ReplicationService>()?.Node;
        lock (_raftAtRestart) _raftAtRestart.Add((raft?.CommitIndex ?? -1, raft?.Snapshot.Index ?? -1));
        lock (_clients)
        {
            if (_disposing) return; // the node is being stopped for good
            _restart = _restart.ContinueWith(_ => RestartAsync(), TaskScheduler.Default).Unwrap();
        }
    }

    private async Task RestartAsync()
    {
        await StopNodeAsync();
        lock (_clients)
        {
            foreach (var c in _clients.Values) c.Dispose();
            _clients.Clear();
            _anonymous?.Dispose();
            _anonymous = null;
        }
        await StartNodeAsync();
        Interlocked.Increment(ref _restarts);
    }

    private async Task StopNodeAsync()
    {
        if (_server is null) return;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _server.StopAsync(cts.Token);
        await _server.DisposeAsync();
        _server = null;
    }

    private bool _disposing;

    public async Task DisposeAsync()
    {
        Task restart;
        lock (_clients)
        {
            _disposing = true;
            restart = _restart;
        }
        try
        {
            await restart;
        }
        catch (Exception e)
        {
            Console.WriteLine($"node restart failed: {e.Message}");
        }
        foreach (var c in _clients.Values) c.Dispose();
        _anonymous?.Dispose();
        await StopNodeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    // ---- tokens ------------------------------------------------------------------------------------------------

    /// <summary>A JWT signed with the server's key (the development secret).</summary>
    public string Token(string account = "A1", string role = Roles.Trader, TimeSpan? lifetime = null, DateTime? now = null)
        => new TokenService(Config.Auth, SigningKeys.From(Config.Auth)).Mint(account, role, lifetime, now);

    /// <summary>A client carrying a fresh token of <paramref name="account"/> (cached per account and role).</summary>
    public HttpClient Client(string account, string role = Roles.Trader)
    {
        lock (_clients)
        {
            var key = account + "/" + role;
            if (!_clients.TryGetValue(key, out var client)) _clients[key] = client = NewClient(Token(account, role));
            return client;
        }
    }

    /// <summary>A client with an arbitrary Authorization bearer value (null: none).</summary>
    public HttpClient NewClient(string? bearer)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }
}

/// <summary>An HTTP answer: status, parsed JSON body (Undefined when empty or not JSON), headers, raw text.</summary>
public sealed record ApiResult(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers, string Text)
{
    public string? ErrorCode => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("error", out var e) ? e.GetProperty("code").GetString() : null;

    public string Str(string name) => Body.GetProperty(name).GetString()!;

    public long Id => Body.GetProperty("id").GetInt64();

    public override string ToString() => $"{(int)Status} {Text}";
}

/// <summary>HTTP helpers over <see cref="HttpClient"/> speaking the API's JSON.</summary>
public static class Rest
{
    public static Task<ApiResult> Get(this HttpClient client, string path) => client.Send(HttpMethod.Get, path, null);

    public static Task<ApiResult> Delete(this HttpClient client, string path) => client.Send(HttpMethod.Delete, path, null);

    public static Task<ApiResult> Post(this HttpClient client, string path, object body) => client.Send(HttpMethod.Post, path, Json(body));

    public static Task<ApiResult> PostRaw(this HttpClient client, string path, string body) => client.Send(HttpMethod.Post, path, body);

    public static Task<ApiResult> Patch(this HttpClient client, string path, object body) => client.Send(HttpMethod.Patch, path, Json(body));

    /// <summary>POST /api/v1/orders.</summary>
    public static Task<ApiResult> Place(this HttpClient client, object order) => client.Post("api/v1/orders", order);

    /// <summary>A GTC limit order body.</summary>
    public static object Limit(string side, string price, string qty, string symbol = "BTCUSD", string? clientOrderId = null,
        string tif = "gtc", bool postOnly = false)
        => clientOrderId is null
            ? new { symbol, side, type = "limit", tif, price, qty, postOnly }
            : new { clientOrderId, symbol, side, type = "limit", tif, price, qty, postOnly };

    public static string Json(object body) => body as string ?? JsonSerializer.Serialize(body);

    public static async Task<ApiResult> Send(this HttpClient client, HttpMethod method, string path, string? body,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await client.SendAsync(request);
        return await Read(response);
    }

    public static async Task<ApiResult> Read(HttpResponseMessage response)
    {
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
        return new ApiResult(response.StatusCode, json, response.Headers, text);
    }

    /// <summary>Asserts status and error code (and the error shape), returning the message.</summary>
    public static string AssertError(this ApiResult result, HttpStatusCode status, string code)
    {
        Assert.True(result.Status == status, $"expected {(int)status} {code}, got {result}");
        Assert.Equal(JsonValueKind.Object, result.Body.ValueKind);
        var error = result.Body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    public static ApiResult AssertStatus(this ApiResult result, HttpStatusCode status)
    {
        Assert.True(result.Status == status, $"expected {(int)status}, got {result}");
        return result;
    }
}
