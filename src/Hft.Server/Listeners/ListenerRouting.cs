using Hft.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hft.Server.Listeners;

/// <summary>
/// Serves each endpoint on its own listener only (<see cref="ServedOn"/>): /metrics and /debug never on the API port,
/// the API and /ws never on the operations port. Elsewhere the answer is the 404 of a path that does not exist.
/// </summary>
public static class ListenerRouting
{
    public static IApplicationBuilder UseListenerRouting(this IApplicationBuilder app, HostListeners listeners)
        => app.Use(async (http, next) =>
        {
            if (listeners.Shared || Serves(listeners.OnOperationsListener(http), http.GetEndpoint()?.Metadata.GetMetadata<ServedOn>()))
                await next(http);
            else
                await NoEndpoint(http).ExecuteAsync(http);
        });

    /// <summary>The answer to a request no endpoint of this listener takes.</summary>
    public static IResult NoEndpoint(HttpContext http) => ApiError.NotFound("not_found", $"no endpoint {http.Request.Method} {http.Request.Path}");

    private static bool Serves(bool operationsListener, ServedOn? servedOn)
        => servedOn == ServedOn.EveryListener || (servedOn == ServedOn.Operations) == operationsListener;
}
