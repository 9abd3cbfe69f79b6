using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Hft.Auth.Tls;

namespace Hft.Client.Rest;

/// <summary>
/// The server's REST and operations API over HTTP(S) as one account (its bearer token), or anonymously. Every call
/// returns a <see cref="RestReply"/>: HTTP error statuses are answers, not exceptions, and a request that got no answer
/// says whether it timed out or lost its connection. Thread-safe; one client is meant to be shared by many callers.
/// </summary>
public sealed class HftRestClient : IDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;

    /// <summary>Throws <see cref="CaFileException"/> when <see cref="HftRestClientOptions.CaFile"/> does not load.</summary>
    public HftRestClient(HftRestClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.MaxConnections,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
        };
        if (options.CaFile is not null) handler.SslOptions = TlsOptions.Client(options.BaseUrl.IdnHost, Authorities(options.CaFile));
        _http = new HttpClient(handler) { BaseAddress = options.BaseUrl, Timeout = options.Timeout };
        Token = options.Token;
    }

    /// <summary>The bearer token sent with every request (none when null).</summary>
    public string? Token { get; set; }

    public Uri BaseUrl => _http.BaseAddress!;

    /// <summary><c>POST /api/v1/auth/token</c> with an API key; on success the token answered is used from then on.</summary>
    public async Task<RestReply> LogInAsync(string apiKey)
    {
        var reply = await SendAsync(HttpMethod.Post, "/api/v1/auth/token", JsonSerializer.Serialize(new { apiKey }));
        if (reply.Ok)
        {
            string token = reply.Str("accessToken");
            Token = token.Length > 0 ? token : reply.Str("token");
        }
        return reply;
    }

    public Task<RestReply> InstrumentsAsync() => GetAsync("/api/v1/instruments");

    /// <summary><c>POST /api/v1/orders</c>: 201 with the order (its <c>id</c>, <c>status</c>) when accepted.</summary>
    public Task<RestReply> PlaceOrderAsync(RestOrder order) => SendAsync(HttpMethod.Post, "/api/v1/orders", JsonSerializer.Serialize(order, s_json));

    public Task<RestReply> CancelOrderAsync(long id) => SendAsync(HttpMethod.Delete, OrderPath(id), null);

    /// <summary><c>PATCH /api/v1/orders/{id}</c>: a new quantity and price (decimal text).</summary>
    public Task<RestReply> ReplaceOrderAsync(long id, string qty, string price)
        => SendAsync(HttpMethod.Patch, OrderPath(id), JsonSerializer.Serialize(new { qty, price }));

    /// <summary>The account's orders (<paramref name="status"/>: open, all, ...), newest first, at most <paramref name="limit"/>.</summary>
    public Task<RestReply> OrdersAsync(string status, int limit)
        => GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/orders?status={status}&limit={limit}"));

    /// <summary>The account's fills, newest first, at most <paramref name="limit"/>.</summary>
    public Task<RestReply> TradesAsync(int limit) => GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/trades?limit={limit}"));

    public Task<RestReply> PositionsAsync() => GetAsync("/api/v1/positions");

    /// <summary><c>GET /ready</c> (200 when serving); with <paramref name="role"/> "leader" only a group's leader is ready.</summary>
    public Task<RestReply> ReadyAsync(string? role = null) => GetAsync(role is null ? "/ready" : $"/ready?role={role}");

    public Task<RestReply> ReplicationStatusAsync() => GetAsync("/replication/status");

    /// <summary><c>GET /debug/state-hash</c> (admin): the state hash and the journal sequence it covers.</summary>
    public Task<RestReply> StateHashAsync() => GetAsync("/debug/state-hash");

    /// <summary><c>GET /debug/latency</c>: the server's order-path latency since the previous read.</summary>
    public Task<RestReply> LatencyAsync() => GetAsync("/debug/latency");

    /// <summary><c>POST /api/v1/admin/snapshot</c> (admin): a fresh snapshot; answers its <c>dir</c>, <c>file</c> and <c>sequence</c>.</summary>
    public Task<RestReply> SnapshotAsync() => SendAsync(HttpMethod.Post, "/api/v1/admin/snapshot", null);

    /// <summary><c>POST /replication/dr/promote</c> (ops or admin token): a disaster-recovery replica becomes a venue.</summary>
    public Task<RestReply> PromoteDrAsync(bool force = false) => SendAsync(HttpMethod.Post, force ? "/replication/dr/promote?force=true" : "/replication/dr/promote", null);

    /// <summary><c>GET /metrics</c>: the Prometheus text in <see cref="RestReply.Text"/>.</summary>
    public Task<RestReply> MetricsAsync() => GetAsync("/metrics");

    public Task<RestReply> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    /// <summary>Any request; <paramref name="json"/> is the body when not null. Never throws for an answer or a lost connection.</summary>
    public async Task<RestReply> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (Token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        try
        {
            using var response = await _http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            return new RestReply((int)response.StatusCode, Parse(text), text);
        }
        catch (TaskCanceledException e)
        {
            return new RestReply(0, default, e.Message, RestFailure.Timeout);
        }
        // SocketException: a connection to a process that died mid-connect can surface directly (RemoteEndPoint of a dead socket).
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
        {
            return new RestReply(0, default, e.Message, RestFailure.Connection);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string OrderPath(long id) => "/api/v1/orders/" + id.ToString(CultureInfo.InvariantCulture);

    private static JsonElement Parse(string text)
    {
        if (text.Length == 0) return default;
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static X509Certificate2Collection Authorities(string caFile)
    {
        try
        {
            return TlsMaterial.LoadAuthorities(caFile);
        }
        catch (TlsFileException e)
        {
            throw new CaFileException(caFile, e.InnerException?.Message ?? e.Message);
        }
    }
}
