using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hft.Core.Orders;

namespace Hft.Tools.Loadgen;

/// <summary>
/// A loadgen connection over REST: each request is its own HTTP call (POST/DELETE/PATCH /api/v1/orders) on a shared
/// keep-alive client; the answer is the HTTP response. Prices and quantities are sent as decimal text converted with
/// the instrument's tick and lot (read from /api/v1/instruments).
/// </summary>
public sealed class RestTarget : IOrderEntryTarget
{
    private readonly HttpClient _http;
    private readonly ITargetListener _listener;
    private readonly LoadInstrument _instrument;
    private readonly ConcurrentDictionary<ulong, long> _ids = new();

    private RestTarget(HttpClient http, ITargetListener listener, LoadInstrument instrument)
    {
        _http = http;
        _listener = listener;
        _instrument = instrument;
    }

    public static async Task<RestTarget> ConnectAsync(string url, string apiKey, int instrument, ITargetListener listener)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        using var tokenReply = await http.PostAsync("/api/v1/auth/token", new StringContent(JsonSerializer.Serialize(new { apiKey }), Encoding.UTF8, "application/json"));
        tokenReply.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await tokenReply.Content.ReadAsStringAsync());
        string jwt = token.RootElement.TryGetProperty("accessToken", out var t) ? t.GetString()! : token.RootElement.GetProperty("token").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        return new RestTarget(http, listener, await LoadInstrument.FetchAsync(http, instrument));
    }

    public void NewOrder(ulong clientOrderId, Side side, TimeInForce tif, long price, long quantity)
    {
        var body = JsonSerializer.Serialize(new
        {
            symbol = _instrument.Symbol, side = side == Side.Buy ? "buy" : "sell", type = "limit", tif = tif == TimeInForce.Ioc ? "ioc" : "gtc",
            price = _instrument.Price(price), qty = _instrument.Qty(quantity),
        });
        _ = Send(clientOrderId, HttpMethod.Post, "/api/v1/orders", body, Answer.Accepted);
    }

    // An order that finished after loadgen picked it (its last answer was read meanwhile): answered at once, as the server would.
    public void Cancel(ulong clientOrderId)
    {
        if (!_ids.TryGetValue(clientOrderId, out long id))
        {
            _listener.OnAnswer(clientOrderId, Answer.TooLate, Stopwatch.GetTimestamp());
            return;
        }
        _ = Send(clientOrderId, HttpMethod.Delete, $"/api/v1/orders/{id}", null, Answer.Canceled);
    }

    public void Replace(ulong clientOrderId, long quantity, long price)
    {
        if (!_ids.TryGetValue(clientOrderId, out long id))
        {
            _listener.OnAnswer(clientOrderId, Answer.TooLate, Stopwatch.GetTimestamp());
            return;
        }
        _ = Send(clientOrderId, HttpMethod.Patch, $"/api/v1/orders/{id}", JsonSerializer.Serialize(new { qty = _instrument.Qty(quantity), price = _instrument.Price(price) }), Answer.Replaced);
    }

    private async Task Send(ulong clientOrderId, HttpMethod method, string path, string? body, Answer ok)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await _http.SendAsync(request);
            long now = Stopwatch.GetTimestamp();
            string text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                using var doc = JsonDocument.Parse(text);
                string? status = doc.RootElement.TryGetProperty("status", out var s) ? s.GetString() : null;
                if (ok == Answer.Accepted && doc.RootElement.TryGetProperty("id", out var idElement)) _ids[clientOrderId] = idElement.GetInt64();
                _listener.OnAnswer(clientOrderId, ok, now);
                if (status is "filled" or "canceled" or "rejected") Done(clientOrderId);
            }
            else
            {
                bool late = ok != Answer.Accepted && (int)response.StatusCode == 404;
                _listener.OnAnswer(clientOrderId, late ? Answer.TooLate : Answer.Rejected, now, ErrorCode(text, (int)response.StatusCode));
                if (ok == Answer.Accepted || late) Done(clientOrderId);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            _listener.OnAnswer(clientOrderId, Answer.Rejected, Stopwatch.GetTimestamp(), e is TaskCanceledException ? "client_timeout" : "connection_error");
            Done(clientOrderId);
        }
    }

    /// <summary>The API's error code (<c>{"error":{"code":...}}</c>), else the HTTP status.</summary>
    private static string ErrorCode(string body, int status)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code) && code.GetString() is { } c)
                return c;
        }
        catch (JsonException)
        {
        }
        return "http_" + status.ToString(CultureInfo.InvariantCulture);
    }

    private void Done(ulong clientOrderId)
    {
        _ids.TryRemove(clientOrderId, out _);
        _listener.OnDone(clientOrderId);
    }

    public void Flush()
    {
    }

    public void Dispose() => _http.Dispose();
}
