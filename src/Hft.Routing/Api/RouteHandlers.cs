using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hft.Routing.Configuration;
using Hft.Routing.Forwarding;
using Hft.Routing.Leadership;
using Hft.Routing.Operations;
using Microsoft.AspNetCore.Http;

namespace Hft.Routing.Api;

/// <summary>
/// The gateway's routes (mapped in <see cref="RoutingEndpoints"/>): which group a request belongs to, and whether it
/// goes to the group's leader, to any of its nodes, or to every group with the answers merged (<see cref="FanOutMerge"/>).
/// </summary>
public sealed class RouteHandlers(RoutingConfig config, RequestRouter router, RouterMetrics metrics)
{
    /// <summary>Largest body read from one group during a fan-out.</summary>
    public const int MaxFanOutBody = 16 * 1024 * 1024;

    // The servers' text as it was ("+00:00", not "\u002B00:00"): the body is JSON for API clients, never HTML.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerOptions.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string None = "none";
    private const string All = "all";

    // ---- one group: order entry by symbol or order id ----------------------------------------------------------

    /// <summary>POST /api/v1/orders: the body's symbol names the group; its leader gets the order.</summary>
    public async Task PlaceOrder(HttpContext http)
    {
        var body = await ClientBody.ReadAsync(http, config.MaxBodyBytes);
        if (body is null) { await TooLarge(http); return; }
        if (!OrderSymbol.TryRead(body, out var symbol, out var error))
        {
            await Reject(http, StatusCodes.Status400BadRequest, RouterError.InvalidRequest, error);
            return;
        }
        if (router.GroupOfSymbol(symbol) is not { } group)
        {
            await Reject(http, StatusCodes.Status400BadRequest, RouterError.UnknownSymbol, $"unknown symbol '{symbol}'");
            return;
        }
        await ToLeader(http, group, ForwardRequest.From(http, body));
    }

    /// <summary>DELETE and PATCH /api/v1/orders/{id}: the id names the group (id &gt;&gt; 40).</summary>
    public async Task OrderById(HttpContext http)
    {
        var text = http.Request.RouteValues["id"] as string;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long id) || router.GroupOfOrder(id) is not { } group)
        {
            await Reject(http, StatusCodes.Status404NotFound, RouterError.UnknownOrder, $"no open order {text} of this account");
            return;
        }
        var body = await ClientBody.ReadAsync(http, config.MaxBodyBytes);
        if (body is null) { await TooLarge(http); return; }
        await ToLeader(http, group, ForwardRequest.From(http, body));
    }

    /// <summary>DELETE /api/v1/orders: with ?symbol= the symbol's group only; without, every group (canceled summed).</summary>
    public async Task MassCancel(HttpContext http)
    {
        if (http.Request.Query.TryGetValue("symbol", out var symbols))
        {
            string symbol = symbols.ToString();
            if (router.GroupOfSymbol(symbol) is not { } group)
            {
                await Reject(http, StatusCodes.Status400BadRequest, RouterError.UnknownSymbol, $"unknown symbol '{symbol}'");
                return;
            }
            await ToLeader(http, group, ForwardRequest.From(http, null));
            return;
        }
        await FanOutAsync(http, reads: false, FanOutMerge.MassCancel);
    }

    /// <summary>POST /api/v1/admin/instruments/{symbol}/...: the symbol's group's leader.</summary>
    public async Task BySymbolToLeader(HttpContext http)
    {
        string symbol = http.Request.RouteValues["symbol"] as string ?? "";
        if (router.GroupOfSymbol(symbol) is not { } group)
        {
            await Reject(http, StatusCodes.Status404NotFound, RouterError.UnknownSymbol, $"unknown symbol '{symbol}'");
            return;
        }
        var body = await ClientBody.ReadAsync(http, config.MaxBodyBytes);
        if (body is null) { await TooLarge(http); return; }
        await ToLeader(http, group, ForwardRequest.From(http, body));
    }

    /// <summary>/api/v1/auth/*: tokens are JWTs every group accepts (one signing key), so the first group's leader mints them.</summary>
    public async Task Auth(HttpContext http)
    {
        var body = await ClientBody.ReadAsync(http, config.MaxBodyBytes);
        if (body is null) { await TooLarge(http); return; }
        await ToLeader(http, router.Groups[0], ForwardRequest.From(http, body));
    }

    // ---- one group: market data reads by symbol ---------------------------------------------------------------

    /// <summary>GET /api/v1/book|ticker|trades/{symbol}: any healthy node of the symbol's group.</summary>
    public async Task MarketRead(HttpContext http)
    {
        string symbol = http.Request.RouteValues["symbol"] as string ?? "";
        if (router.GroupOfSymbol(symbol) is not { } group)
        {
            await Reject(http, StatusCodes.Status404NotFound, RouterError.UnknownSymbol, $"unknown symbol '{symbol}'");
            return;
        }
        long start = Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(router.Timeout);
        using var routed = await router.ToAnyNodeAsync(group, ForwardRequest.From(http, null), deadline.Token, http.RequestAborted);
        await Finish(http, routed, group.Label, start);
    }

    // ---- every group ------------------------------------------------------------------------------------------

    public Task ListOrders(HttpContext http)
        => FanOutAsync(http, reads: false, parts => FanOutMerge.Newest(parts, "createdAt", FanOutMerge.Limit(http.Request.Query["limit"], 500, 5000)));

    public Task OwnTrades(HttpContext http)
        => FanOutAsync(http, reads: false, parts => FanOutMerge.Newest(parts, "time", FanOutMerge.Limit(http.Request.Query["limit"], 100, 1000)));

    public Task Positions(HttpContext http) => FanOutAsync(http, reads: false, FanOutMerge.Concat);

    public Task Account(HttpContext http) => FanOutAsync(http, reads: false, FanOutMerge.Account);

    public Task Instruments(HttpContext http) => FanOutAsync(http, reads: true, FanOutMerge.Concat);

    /// <summary>
    /// Sends the request to every group (account reads to the leaders: they are current; public reads to any node)
    /// and merges: all 2xx -> 200 merged; all failed with one status -> the first group's failure as it came (a 401 or
    /// a bad query parameter is the same everywhere); otherwise 503 partial_failure listing every group's answer.
    /// </summary>
    private async Task FanOutAsync(HttpContext http, bool reads, Func<IReadOnlyList<(int Group, JsonNode? Body)>, JsonNode?> merge)
    {
        long start = Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(router.Timeout);
        var request = ForwardRequest.From(http, null);
        var answers = await Task.WhenAll(router.Groups.Select(g => OneGroupAsync(g, request, reads, deadline.Token, http.RequestAborted)));
        if (http.RequestAborted.IsCancellationRequested) return;
        metrics.Forwarded(All, Stopwatch.GetElapsedTime(start));

        if (answers.All(a => a.Status is >= 200 and < 300))
        {
            var parts = answers.Select(a => (a.Group.Id, Parse(a.Body))).ToList();
            if (merge(parts) is { } merged)
            {
                metrics.Request(All, answers.Any(a => a.Retried) ? RouterMetrics.Outcome.Retried : RouterMetrics.Outcome.Forwarded);
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(merged.ToJsonString(s_json), http.RequestAborted);
                return;
            }
            metrics.Request(All, RouterMetrics.Outcome.UpstreamError);
            await RouterError.WriteAsync(http, StatusCodes.Status502BadGateway, RouterError.UpstreamError,
                "a group answered a body of an unexpected shape; the answers could not be merged");
            return;
        }
        if (answers.All(a => a.Status is < 200 or >= 300 && a.Status == answers[0].Status))
        {
            var first = answers[0];
            metrics.Request(All, first.Outcome);
            http.Response.StatusCode = first.Status;
            if (first.RetryAfter is { } retry) http.Response.Headers.RetryAfter = retry;
            http.Response.ContentType = first.ContentType ?? "application/json";
            await http.Response.Body.WriteAsync(first.Body, http.RequestAborted);
            return;
        }
        metrics.Request(All, RouterMetrics.Outcome.PartialFailure);
        var failed = answers.Where(a => a.Status is < 200 or >= 300).Select(a => $"group {a.Group.Id}: {a.Status}").ToList();
        var groups = new JsonArray();
        foreach (var a in answers)
            groups.Add(new JsonObject { ["group"] = a.Group.Id, ["status"] = a.Status, ["body"] = Parse(a.Body) });
        await RouterError.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, RouterError.PartialFailure,
            $"not every group answered ({string.Join(", ", failed)}); the other groups' answers are in 'groups'", groups, "groups");
    }

    private sealed record GroupAnswer(GroupState Group, int Status, byte[] Body, string? ContentType, string? RetryAfter, bool Retried, string Outcome);

    private async Task<GroupAnswer> OneGroupAsync(GroupState group, ForwardRequest request, bool reads, CancellationToken deadline,
        CancellationToken clientGone)
    {
        using var routed = reads
            ? await router.ToAnyNodeAsync(group, request, deadline, clientGone)
            : await router.ToLeaderAsync(group, request, deadline, clientGone);
        if (routed.Response is not { } response)
        {
            var error = new JsonObject { ["error"] = new JsonObject { ["code"] = routed.Code, ["message"] = routed.Message } };
            return new GroupAnswer(group, routed.Status, JsonSerializer.SerializeToUtf8Bytes(error), "application/json", null, false, routed.Outcome);
        }
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxFanOutBody, deadline);
            var body = await response.Content.ReadAsByteArrayAsync(deadline);
            return new GroupAnswer(group, routed.Status, body, response.Content.Headers.ContentType?.ToString(),
                response.Headers.RetryAfter?.ToString(), routed.Retried, routed.Outcome);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            var error = new JsonObject { ["error"] = new JsonObject { ["code"] = RouterError.UpstreamError, ["message"] = $"group {group.Id}: reading the answer failed: {e.Message}" } };
            return new GroupAnswer(group, StatusCodes.Status503ServiceUnavailable, JsonSerializer.SerializeToUtf8Bytes(error), "application/json", null, false,
                RouterMetrics.Outcome.UpstreamError);
        }
    }

    // ---- common ------------------------------------------------------------------------------------------------

    private async Task ToLeader(HttpContext http, GroupState group, ForwardRequest request)
    {
        long start = Stopwatch.GetTimestamp();
        using var deadline = new CancellationTokenSource(router.Timeout);
        using var routed = await router.ToLeaderAsync(group, request, deadline.Token, http.RequestAborted);
        await Finish(http, routed, group.Label, start);
    }

    private async Task Finish(HttpContext http, Routed routed, string group, long start)
    {
        if (routed.ClientGone) return;
        metrics.Request(group, routed.Outcome);
        if (routed.Response is { } response)
        {
            metrics.Forwarded(group, Stopwatch.GetElapsedTime(start));
            await ResponseRelay.RelayAsync(http, response, group);
            return;
        }
        await RouterError.WriteAsync(http, routed.Status, routed.Code!, routed.Message!);
    }

    private Task Reject(HttpContext http, int status, string code, string message)
    {
        metrics.Request(None, RouterMetrics.Outcome.Rejected);
        return RouterError.WriteAsync(http, status, code, message);
    }

    private Task TooLarge(HttpContext http)
        => Reject(http, StatusCodes.Status413PayloadTooLarge, RouterError.PayloadTooLarge, $"request body larger than {config.MaxBodyBytes} bytes");

    private static JsonNode? Parse(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return JsonValue.Create(System.Text.Encoding.UTF8.GetString(body));
        }
    }
}
