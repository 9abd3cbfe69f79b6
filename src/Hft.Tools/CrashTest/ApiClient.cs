using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Hft.Tools.CrashTest;

/// <summary>An answer from the server; <see cref="Status"/> 0 means no answer at all (connection refused or reset).</summary>
internal readonly record struct ApiReply(int Status, JsonElement Body, string Text)
{
    public bool Answered => Status != 0;

    public bool Ok => Status is >= 200 and < 300;

    /// <summary>4xx: the server decided and changed nothing (rejections are never journaled).</summary>
    public bool Refused => Status is >= 400 and < 500;

    public string Str(string name) => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
        ? v.GetString()!
        : "";

    public decimal Dec(string name) => decimal.Parse(Str(name), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>HTTP to one server over loopback as one account (or anonymously).</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(int port, string? token)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromSeconds(15),
        };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public HttpClient Http => _http;

    public Task<ApiReply> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public async Task<ApiReply> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        try
        {
            using var response = await _http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            JsonElement body = default;
            if (text.Length > 0)
            {
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    body = doc.RootElement.Clone();
                }
                catch (JsonException)
                {
                }
            }
            return new ApiReply((int)response.StatusCode, body, text);
        }
        // SocketException: a connection to a process that died mid-connect can surface directly (RemoteEndPoint of a dead socket).
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            return new ApiReply(0, default, e.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}
