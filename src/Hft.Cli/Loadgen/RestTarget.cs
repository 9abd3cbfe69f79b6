using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hft.Core.Orders;

namespace Hft.Cli.Loadgen;

/// <summary>
/// A loadgen connection over REST: each request is its own HTTP call (POST/DELETE/PATCH /api/v1/orders) on a shared
/// keep-alive client; the answer is the HTTP response. Prices and quantities are sent as decimal text converted with
/// the instrument's tick and lot (read from /api/v1/instruments).
/// </summary>
public sealed class RestTarget : IOrderEntryTarget
{
    private readonly HttpClient _http;
    private readonly ITargetListener _listener;
    private readonly string _symbol;
    private readonly decimal _tick, _lot;
    private readonly ConcurrentDictionary<ulong, long> _ids = new();

    private RestTarget(HttpClient http, ITargetListener listener, string symbol, decimal tick, decimal lot)
    {
        _http = http;
        _listener = listener;
        _symbol = symbol;
        _tick = tick;
        _lot = lot;
    }

    public static async Task<RestTarget> ConnectAsync(string url, string apiKey, int instrument, ITargetListener listener)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        using var tokenReply = await http.PostAsync("/api/v1/auth/token", new StringContent(JsonSerializer.Serialize(new { apiKey }), Encoding.UTF8, "application/json"));
        tokenReply.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await tokenReply.Content.ReadAsStringAsync());
        string jwt = token.RootElement.TryGetProperty("accessToken", out var t) ? t.GetString()! : token.RootElement.GetProperty("token").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        using var instruments = JsonDocument.Parse(await http.GetStringAsync("/api/v1/instruments"));
        var inst = instruments.RootElement.EnumerateArray().ElementAt(instrument);
        return new RestTarget(http, listener, inst.GetProperty("symbol").GetString()!,
            decimal.Parse(inst.GetProperty("tick").GetString()!, CultureInfo.InvariantCulture),
            decimal.Parse(inst.GetProperty("lot").GetString()!, CultureInfo.InvariantCulture));
    }

    private string Price(long ticks) => (ticks * _tick).ToString(CultureInfo.InvariantCulture);

    private string Qty(long lots) => (lots * _lot).ToString(CultureInfo.InvariantCulture);

    public void NewOrder(ulong clientOrderId, Side side, TimeInForce tif, long price, long quantity)
    {
        var body = JsonSerializer.Serialize(new
        {
            symbol = _symbol, side = side == Side.Buy ? "buy" : "sell", type = "limit", tif = tif == TimeInForce.Ioc ? "ioc" : "gtc",
            price = Price(price), qty = Qty(quantity),
        });
        _ = Send(clientOrderId, HttpMethod.Post, "/api/v1/orders", body, Answer.Accepted);
    }

    public void Cancel(ulong clientOrderId)
    {
        if (!_ids.TryGetValue(clientOrderId, out long id)) return;
        _ = Send(clientOrderId, HttpMethod.Delete, $"/api/v1/orders/{id}", null, Answer.Canceled);
    }

    public void Replace(ulong clientOrderId, long quantity, long price)
    {
        if (!_ids.TryGetValue(clientOrderId, out long id)) return;
        _ = Send(clientOrderId, HttpMethod.Patch, $"/api/v1/orders/{id}", JsonSerializer.Serialize(new { qty = Qty(quantity), price = Price(price) }), Answer.Replaced);
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
                _listener.OnAnswer(clientOrderId, late ? Answer.TooLate : Answer.Rejected, now);
                if (ok == Answer.Accepted || late) Done(clientOrderId);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            _listener.OnAnswer(clientOrderId, Answer.Rejected, Stopwatch.GetTimestamp());
            Done(clientOrderId);
        }
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
