using Microsoft.AspNetCore.Http;
using Prometheus;

namespace Hft.Server.Operations;

/// <summary>
/// The body of /metrics in the Prometheus text format (0.0.4): the server's registry, then - for an operator only -
/// the per-account registry (<see cref="AccountMetrics"/>). The two registries share no family, so the concatenation
/// is one valid exposition.
/// </summary>
public static class MetricsExposition
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static async Task WriteAsync(HttpContext http, CollectorRegistry server, AccountMetrics accounts)
    {
        http.Response.ContentType = ContentType;
        await server.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
        if (OpsAccess.ViewOf(http) == OpsView.Operator)
            await accounts.Registry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
    }
}
