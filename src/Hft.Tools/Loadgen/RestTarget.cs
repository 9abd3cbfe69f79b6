using System.Collections.Concurrent;
using System.Diagnostics;
using Hft.Client.Rest;
using Hft.Core.Orders;

namespace Hft.Tools.Loadgen;

/// <summary>
/// A loadgen connection over REST: each request is its own HTTP call (POST/DELETE/PATCH /api/v1/orders) on a shared
/// keep-alive client; the answer is the HTTP response. Prices and quantities are sent as decimal text converted with
/// the instrument's tick and lot (read from /api/v1/instruments).
/// </summary>
public sealed class RestTarget : IOrderEntryTarget
{
    private readonly HftRestClient _api;
    private readonly ITargetListener _listener;
    private readonly LoadInstrument _instrument;
    private readonly ConcurrentDictionary<ulong, long> _ids = new();

    private RestTarget(HftRestClient api, ITargetListener listener, LoadInstrument instrument)
    {
        _api = api;
        _listener = listener;
        _instrument = instrument;
    }

    /// <summary>Logs in with <paramref name="apiKey"/>; throws <see cref="HttpRequestException"/> when that fails.</summary>
    public static async Task<RestTarget> ConnectAsync(string url, string apiKey, int instrument, ITargetListener listener)
    {
        var api = new HftRestClient(new HftRestClientOptions(new Uri(url)) { Timeout = TimeSpan.FromSeconds(30) });
        try
        {
            var login = await api.LogInAsync(apiKey);
            if (!login.Ok)
                throw new HttpRequestException(login.Answered ? $"POST /api/v1/auth/token: {login.Status} {login.Text}" : login.Text);
            return new RestTarget(api, listener, await LoadInstrument.FetchAsync(api, instrument));
        }
        catch
        {
            api.Dispose();
            throw;
        }
    }

    public void NewOrder(ulong clientOrderId, Side side, TimeInForce tif, long price, long quantity)
    {
        var order = new RestOrder(_instrument.Symbol, side == Side.Buy ? "buy" : "sell", "limit", tif == TimeInForce.Ioc ? "ioc" : "gtc",
            _instrument.Price(price), _instrument.Qty(quantity));
        _ = ReportAsync(clientOrderId, _api.PlaceOrderAsync(order), Answer.Accepted);
    }

    // An order that finished after loadgen picked it (its last answer was read meanwhile): answered at once, as the server would.
    public void Cancel(ulong clientOrderId)
    {
        if (!_ids.TryGetValue(clientOrderId, out long id))
        {
            _listener.OnAnswer(clientOrderId, Answer.TooLate, Stopwatch.GetTimestamp());
            return;
        }
        _ = ReportAsync(clientOrderId, _api.CancelOrderAsync(id), Answer.Canceled);
    }

    public void Replace(ulong clientOrderId, long quantity, long price)
    {
        if (!_ids.TryGetValue(clientOrderId, out long id))
        {
            _listener.OnAnswer(clientOrderId, Answer.TooLate, Stopwatch.GetTimestamp());
            return;
        }
        _ = ReportAsync(clientOrderId, _api.ReplaceOrderAsync(id, _instrument.Qty(quantity), _instrument.Price(price)), Answer.Replaced);
    }

    private async Task ReportAsync(ulong clientOrderId, Task<RestReply> request, Answer ok)
    {
        var reply = await request;
        long now = Stopwatch.GetTimestamp();
        if (reply.Ok && reply.Body.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            string status = reply.Str("status");
            if (ok == Answer.Accepted && reply.Body.TryGetProperty("id", out var idElement)) _ids[clientOrderId] = idElement.GetInt64();
            _listener.OnAnswer(clientOrderId, ok, now);
            if (status is "filled" or "canceled" or "rejected") Done(clientOrderId);
        }
        else if (reply.Answered && !reply.Ok)
        {
            bool late = ok != Answer.Accepted && reply.Status == 404;
            _listener.OnAnswer(clientOrderId, late ? Answer.TooLate : Answer.Rejected, now, reply.ErrorCode);
            if (ok == Answer.Accepted || late) Done(clientOrderId);
        }
        else
        {
            // no answer, or a success without a JSON body: counted as a failed connection
            _listener.OnAnswer(clientOrderId, Answer.Rejected, now, reply.Failure == RestFailure.Timeout ? "client_timeout" : "connection_error");
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

    public void Dispose() => _api.Dispose();
}
