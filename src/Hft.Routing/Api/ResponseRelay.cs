using Hft.Routing.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Hft.Routing.Api;

/// <summary>Streams an upstream response to the client: status, end-to-end headers, body; tags it with <c>X-Hft-Group</c>.</summary>
public static class ResponseRelay
{
    public const string GroupHeader = "X-Hft-Group";

    public static async Task RelayAsync(HttpContext http, HttpResponseMessage upstream, string group)
    {
        http.Response.StatusCode = (int)upstream.StatusCode;
        var tokens = HopByHopHeaders.ConnectionTokens(upstream.Headers.Connection);
        foreach (var (name, values) in upstream.Headers)
            if (!HopByHopHeaders.SkipOnResponse(name, tokens)) http.Response.Headers[name] = values.ToArray();
        foreach (var (name, values) in upstream.Content.Headers)
            if (!HopByHopHeaders.SkipOnResponse(name, tokens)) http.Response.Headers[name] = values.ToArray();
        http.Response.Headers[GroupHeader] = group;
        try
        {
            await upstream.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            http.Abort(); // the status is out: the only honest signal left is a broken response
        }
    }
}
