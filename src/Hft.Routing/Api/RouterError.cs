using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Hft.Routing.Api;

/// <summary>The API's one error shape, <c>{"error":{"code":"...","message":"..."}}</c>, written by the gateway itself.</summary>
public static class RouterError
{
    public const string UnknownSymbol = "unknown_symbol";
    public const string InvalidRequest = "invalid_request";
    public const string NotFound = "not_found";
    public const string UnknownOrder = "unknown_order";
    public const string PayloadTooLarge = "payload_too_large";
    public const string LeaderUnavailable = "leader_unavailable";
    public const string GroupUnavailable = "group_unavailable";
    public const string UpstreamError = "upstream_error";
    public const string PartialFailure = "partial_failure";

    public static Task WriteAsync(HttpContext http, int status, string code, string message, JsonNode? extra = null, string? extraName = null)
    {
        var detail = new JsonObject { ["code"] = code, ["message"] = message };
        if (extra is not null && extraName is not null) detail[extraName] = extra;
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(new JsonObject { ["error"] = detail }.ToJsonString(JsonSerializerOptions.Web));
    }

    /// <summary>The error body of a response that has a status but no body (routing's 404/405, Kestrel's 400/413/431).</summary>
    public static Task WriteBare(HttpContext http)
    {
        int status = http.Response.StatusCode;
        string code = status switch
        {
            StatusCodes.Status400BadRequest => InvalidRequest,
            StatusCodes.Status404NotFound => NotFound,
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
            _ => "http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        string message = status == StatusCodes.Status404NotFound
            ? "no such route on the routing gateway (it routes /api/v1 order entry, account and market-data reads; see docs/ARCHITECTURE.md)"
            : Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        return WriteAsync(http, status, code, message);
    }
}
