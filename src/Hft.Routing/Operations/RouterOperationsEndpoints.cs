using Hft.Routing.Leadership;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Hft.Routing.Operations;

/// <summary>
/// The gateway's own operations endpoints: <c>/health</c> (the process answers), <c>/ready</c> (every group has a known
/// leader), <c>/routing/status</c> (what the last polls said, per group and node) and <c>/metrics</c> (hft_router_*).
/// </summary>
public static class RouterOperationsEndpoints
{
    public static void MapRouterOperations(this IEndpointRouteBuilder app, LeaderTracker tracker, RouterMetrics metrics)
    {
        app.MapGet("/health", () => Results.Json(new { status = "ok" }));
        app.MapGet("/ready", () =>
        {
            var problems = tracker.Groups.Where(g => g.Leader is null).Select(g => $"group {g.Id}: no leader known").ToList();
            return problems.Count == 0
                ? Results.Json(new { status = "ready" })
                : Results.Json(new { status = "not_ready", problems }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/routing/status", () => Results.Json(new
        {
            groups = tracker.Groups.Select(g => new
            {
                group = g.Id,
                symbols = g.Symbols,
                leader = g.Leader?.Name,
                nodes = g.Nodes.Select(n => new
                {
                    url = n.Name, up = n.Up(), role = n.Status.Role, term = n.Status.Term, reportedGroup = n.Status.Group,
                    problem = n.Status.Problem, polledAt = n.Status.At == DateTimeOffset.MinValue ? (DateTimeOffset?)null : n.Status.At,
                }),
            }),
        }));
        app.MapMetrics("/metrics", metrics.Registry);
    }

    private static bool Up(this NodeState node) => node.Healthy;
}
