using System.Text.Json;
using Hft.Core.Events;
using Microsoft.AspNetCore.Http;

namespace Hft.Server.Api;

/// <summary>
/// The one error shape of the API, <c>{"error":{"code":"max_notional","message":"..."}}</c>, and the HTTP status of
/// every code: 400 bad input, 401/403 auth, 404 not found, 409 duplicate client id, 422 risk reject,
/// 429 rate limited, 503 overloaded or halted.
/// </summary>
public static class ApiError
{
    public static IResult Result(int status, string code, string message)
        => Results.Json(new ErrorBody(new ErrorDetail(code, message)), statusCode: status);

    public static Task Write(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new ErrorBody(new ErrorDetail(code, message)), JsonSerializerOptions.Web));
    }

    /// <summary>The error body of a response that has a status but no body yet (status code pages).</summary>
    public static Task WriteBare(HttpContext context)
    {
        int status = context.Response.StatusCode;
        string code = status switch
        {
            StatusCodes.Status400BadRequest => "invalid_request",
            StatusCodes.Status404NotFound => "not_found",
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            _ => "http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        string message = status == StatusCodes.Status400BadRequest
            ? "invalid request: a query or route parameter has the wrong format"
            : Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        return Write(context, status, code, message);
    }

    /// <summary>421: this node of a replicated group does not take order entry; <c>leader</c> is the leader's API URL when known.</summary>
    public static IResult NotLeader(string? leader)
        => Results.Json(new NotLeaderBody(new NotLeaderDetail("not_leader", new Pipeline.NotLeaderException(leader).Message, leader)),
            statusCode: StatusCodes.Status421MisdirectedRequest);

    public static Task WriteNotLeader(HttpContext context, string? leader)
    {
        context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(
            new NotLeaderBody(new NotLeaderDetail("not_leader", new Pipeline.NotLeaderException(leader).Message, leader)), JsonSerializerOptions.Web));
    }

    private sealed record NotLeaderBody(NotLeaderDetail Error);

    private sealed record NotLeaderDetail(string Code, string Message, string? Leader);

    public static IResult BadRequest(string code, string message) => Result(StatusCodes.Status400BadRequest, code, message);

    public static IResult NotFound(string code, string message) => Result(StatusCodes.Status404NotFound, code, message);

    /// <summary>The status of a rejection reason from the engine or risk.</summary>
    public static int StatusOf(RejectReason reason) => reason switch
    {
        RejectReason.UnknownSymbol or RejectReason.InvalidPrice or RejectReason.InvalidQty or RejectReason.InvalidOrderType
            or RejectReason.InvalidTriggerPrice or RejectReason.InvalidDisplayQty or RejectReason.InvalidExpireTime
            => StatusCodes.Status400BadRequest,
        RejectReason.DuplicateId => StatusCodes.Status409Conflict,
        RejectReason.UnknownOrder => StatusCodes.Status404NotFound,
        RejectReason.RateLimited => StatusCodes.Status429TooManyRequests,
        RejectReason.Overloaded or RejectReason.InstrumentHalted or RejectReason.ShuttingDown => StatusCodes.Status503ServiceUnavailable,
        RejectReason.AccountDisabled => StatusCodes.Status403Forbidden,
        RejectReason.NotLeader => StatusCodes.Status421MisdirectedRequest,
        _ => StatusCodes.Status422UnprocessableEntity, // risk limits
    };

    public static string MessageOf(RejectReason reason) => reason switch
    {
        RejectReason.UnknownSymbol => "no such instrument",
        RejectReason.InvalidPrice => "price missing, not a positive decimal on the tick grid, or too large",
        RejectReason.InvalidQty => "quantity not a positive decimal on the lot grid, or too large",
        RejectReason.DuplicateId => "order id already used",
        RejectReason.UnknownOrder => "no such open order of this account",
        RejectReason.InvalidOrderType => "postOnly is only allowed on GTC / GTD orders with a limit price, and a market order cannot be GTD",
        RejectReason.AccountDisabled => "account disabled",
        RejectReason.InstrumentHalted => "trading in this instrument is halted",
        RejectReason.MaxQty => "order quantity above the account's maximum",
        RejectReason.MaxNotional => "order notional above the account's maximum",
        RejectReason.PriceBand => "price outside the instrument's price band",
        RejectReason.MaxOpenOrders => "too many open orders",
        RejectReason.MaxPosition => "worst-case position above the account's maximum",
        RejectReason.CreditLimit => "worst-case exposure above the account's credit",
        RejectReason.NoReferencePrice => "no reference price to check a market order against",
        RejectReason.Overloaded => "the matching queue is full; retry",
        RejectReason.RateLimited => "order rate limit exceeded; retry later",
        RejectReason.NotLeader => "this node is not the leader of its replication group",
        RejectReason.ShuttingDown => "the server is shutting down",
        RejectReason.InvalidTriggerPrice => "triggerPrice missing on a stop / take-profit order, given on another type, or not a positive price on the tick grid",
        RejectReason.WouldTriggerImmediately => "the last trade price has already reached triggerPrice: the order would trigger at once",
        RejectReason.InvalidDisplayQty => "displayQty must be a positive multiple of the lot, at most qty, at least qty / 100, on a GTC / GTD order with a limit price",
        RejectReason.InvalidExpireTime => "a gtd order needs an expireTime in the future, and only gtd orders take one",
        _ => reason.Name(),
    };

    public static IResult FromReject(RejectReason reason) => Result(StatusOf(reason), reason.Name(), MessageOf(reason));

    public sealed record ErrorBody(ErrorDetail Error);

    public sealed record ErrorDetail(string Code, string Message);
}
