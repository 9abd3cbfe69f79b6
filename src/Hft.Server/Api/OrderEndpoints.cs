using System.Diagnostics;
using Hft.Auth;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Hft.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Server.Api;

/// <summary>
/// <c>/api/v1/orders</c>: place (POST), cancel (DELETE /{id}), replace (PATCH /{id}), list (GET), cancel all
/// (DELETE ?symbol=). The account always comes from the token; another account's order is "not found".
/// </summary>
public static class OrderEndpoints
{
    private static readonly TimeSpan s_ackTimeout = TimeSpan.FromSeconds(10);

    public static void MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/v1/orders").RequireAuthorization(AuthSetup.TraderPolicy);
        orders.MapPost("", Place);
        orders.MapDelete("/{id:long}", Cancel);
        orders.MapPatch("/{id:long}", Replace);
        orders.MapGet("", List);
        orders.MapDelete("", CancelAll);
    }

    private static async Task<IResult> Place(HttpContext http, TradingPipeline pipeline, OrderDirectory directory, RequestAccount caller)
    {
        long start = Stopwatch.GetTimestamp();
        if (!caller.TryResolve(http, out int account, out var denied)) return denied!;
        var body = await RequestBody.ReadAsync(http);
        if (body.Error is { } tooBig) return tooBig;
        if (!OrderRequestParser.TryParseNew(body.Bytes, pipeline.Instruments, out var parsed, out var code, out var message))
            return ApiError.Result(code == RejectReason.UnknownSymbol.Name() ? StatusCodes.Status400BadRequest : StatusCodes.Status400BadRequest, code, message);
        long received = Stopwatch.GetTimestamp(); // receipt: the request is parsed (read + parse is the "parse" stage)
        http.RequestServices.GetService<Hft.Pipeline.Monitoring.PipelineMetrics>()?.RecordParse(start, received);

        var cmd = parsed!.Command;
        cmd.OrderId = pipeline.NextOrderId();
        cmd.Account = account;
        var record = OrderRecord.Of(in cmd, parsed.ClientOrderId, DateTimeOffset.UtcNow);
        if (!directory.TryRegister(record))
            return ApiError.Result(StatusCodes.Status409Conflict, "duplicate_client_order_id",
                $"clientOrderId '{parsed.ClientOrderId}' is already used by an order of this account");

        var completion = new RestReply(pipeline.Outbox, order: record);
        var admitted = pipeline.Submit(in cmd, completion, received, parsed.ClientOrderId);
        if (admitted != AdmitResult.Accepted)
        {
            directory.Unregister(record);
            return Refused(http, admitted);
        }
        var events = await completion.Task.WaitAsync(s_ackTimeout);
        if (FindReject(events, cmd.OrderId) is { } reason) return ApiError.FromReject(reason);
        return Results.Json(OrderResponse.Of(record, parsed.Instrument, OrderResponse.FillsOf(cmd.OrderId, events, parsed.Instrument), completion.Decided),
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> Cancel(long id, HttpContext http, TradingPipeline pipeline, OrderDirectory directory, RequestAccount caller)
    {
        if (!caller.TryResolve(http, out int account, out var denied)) return denied!;
        if (directory.Find(id) is not { } record || record.Account != account)
            return ApiError.NotFound(RejectReason.UnknownOrder.Name(), $"no open order {id} of this account");
        var cmd = OrderCommand.Cancel(id, account, record.Instrument);
        var completion = new RestReply(pipeline.Outbox, order: record);
        var admitted = pipeline.Submit(in cmd, completion, Stopwatch.GetTimestamp());
        if (admitted != AdmitResult.Accepted) return Refused(http, admitted);
        var events = await completion.Task.WaitAsync(s_ackTimeout);
        if (FindReject(events, id) is { } reason) return ApiError.FromReject(reason);
        return Results.Json(OrderResponse.Of(record, pipeline.Instruments[record.Instrument], state: completion.Decided));
    }

    private static async Task<IResult> Replace(long id, HttpContext http, TradingPipeline pipeline, OrderDirectory directory, RequestAccount caller)
    {
        if (!caller.TryResolve(http, out int account, out var denied)) return denied!;
        if (directory.Find(id) is not { } record || record.Account != account)
            return ApiError.NotFound(RejectReason.UnknownOrder.Name(), $"no open order {id} of this account");
        var body = await RequestBody.ReadAsync(http);
        if (body.Error is { } tooBig) return tooBig;
        var instrument = pipeline.Instruments[record.Instrument];
        if (!OrderRequestParser.TryParseReplace(body.Bytes, instrument, out var cmd, out var code, out var message))
            return ApiError.BadRequest(code, message);
        cmd.OrderId = id;
        cmd.Account = account;
        var completion = new RestReply(pipeline.Outbox, order: record);
        var admitted = pipeline.Submit(in cmd, completion, Stopwatch.GetTimestamp());
        if (admitted != AdmitResult.Accepted) return Refused(http, admitted);
        var events = await completion.Task.WaitAsync(s_ackTimeout);
        if (FindReject(events, id) is { } reason) return ApiError.FromReject(reason);
        return Results.Json(OrderResponse.Of(record, instrument, OrderResponse.FillsOf(id, events, instrument), completion.Decided));
    }

    private static IResult List(HttpContext http, TradingPipeline pipeline, OrderDirectory directory, RequestAccount caller,
        string? status, int? limit)
    {
        if (!caller.TryResolve(http, out int account, out var denied)) return denied!;
        if (status is not (null or "open" or "all")) return ApiError.BadRequest("invalid_request", "status must be open or all");
        int n = Math.Clamp(limit ?? 500, 1, 5000);
        var list = directory.ForAccount(account, openOnly: status != "all", n);
        return Results.Json(list.Select(r => OrderResponse.Of(r, pipeline.Instruments[r.Instrument])).ToList());
    }

    private static async Task<IResult> CancelAll(HttpContext http, TradingPipeline pipeline, RequestAccount caller, string? symbol)
    {
        if (!caller.TryResolve(http, out int account, out var denied)) return denied!;
        int instrument = -1;
        if (symbol is not null)
        {
            if (!pipeline.Instruments.TryGet(symbol, out var inst)) return ApiError.BadRequest(RejectReason.UnknownSymbol.Name(), $"unknown symbol '{symbol}'");
            instrument = inst.Index;
        }
        var completion = new RestReply(pipeline.Outbox, pipeline.ShardsFor(instrument));
        if (!pipeline.CancelAll(account, instrument, CancelReason.User, completion))
            return ApiError.Result(StatusCodes.Status503ServiceUnavailable, "overloaded", "the matching queue is full; retry");
        var events = await completion.Task.WaitAsync(s_ackTimeout);
        var canceled = events.Where(e => e.Kind == EventKind.Canceled).Select(e => e.OrderId).ToList();
        return Results.Json(new { canceled = canceled.Count, ids = canceled });
    }

    private static RejectReason? FindReject(EngineEvent[] events, long id)
    {
        foreach (var e in events)
            if (e.Kind == EventKind.Rejected && e.OrderId == id) return e.RejectReason;
        return null;
    }

    private static IResult Refused(HttpContext http, AdmitResult admitted)
    {
        var reason = admitted.ToRejectReason();
        if (reason == RejectReason.RateLimited) http.Response.Headers.RetryAfter = "1";
        if (reason == RejectReason.NotLeader)
            return ApiError.NotLeader(http.RequestServices.GetService(typeof(TradingPipeline)) is TradingPipeline p ? p.LeaderUrl : null);
        return ApiError.FromReject(reason);
    }
}
