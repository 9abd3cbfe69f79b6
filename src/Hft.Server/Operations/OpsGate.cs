using Hft.Auth.Audit;
using Hft.Server.Listeners;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hft.Server.Operations;

/// <summary>
/// Applies <see cref="OpsAccess"/> to every operations endpoint (<see cref="ServedOn.Operations"/>), on whichever
/// listener serves it: refusals are answered and audited, an admitted request carries its view to the endpoint.
/// </summary>
public static class OpsGate
{
    public static IApplicationBuilder UseOpsGate(this IApplicationBuilder app, OpsAccess access, AuditLog audit)
        => app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<ServedOn>() != ServedOn.Operations)
            {
                await next(http);
                return;
            }
            var decision = await access.DecideAsync(http);
            if (!decision.Admitted)
            {
                audit.Write(http, "ops.refused", $"{http.Request.Method} {http.Request.Path}", $"{decision.Status} {decision.Code}", decision.Reason);
                await decision.Refusal.ExecuteAsync(http);
                return;
            }
            OpsAccess.Remember(http, decision.View);
            await next(http);
        });
}
