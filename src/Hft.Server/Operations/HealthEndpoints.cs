using Hft.Pipeline;
using Hft.Pipeline.Shards;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.Operations;

/// <summary><c>/health</c> (liveness: the process answers) and <c>/ready</c> (engine threads running, accepting, not all halted).</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Json(new { status = "ok" }));
        // /ready: ready for reads (a follower of a replicated group counts); /ready?role=leader: takes order entry too.
        app.MapGet("/ready", (TradingPipeline pipeline, ReadinessChecks checks, string? role) =>
        {
            var problems = checks.Problems(pipeline);
            if (role is not null && role != "leader")
                return Api.ApiError.BadRequest("invalid_request", $"role must be \"leader\" or absent, got \"{role}\"");
            if (role == "leader" && !pipeline.OrderEntryEnabled) problems.Add("not the leader of its replication group (no order entry)");
            string name = Replication.ReplicationEndpoints.RoleName(pipeline.Role);
            return problems.Count == 0
                ? Results.Json(new { status = "ready", role = name })
                : Results.Json(new { status = "not_ready", role = name, problems, leader = pipeline.LeaderUrl }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}

/// <summary>What readiness requires; later capabilities (journal, gateways) add their checks here.</summary>
public sealed class ReadinessChecks
{
    private readonly List<Func<string?>> _extra = new();

    public void Add(Func<string?> check)
    {
        lock (_extra) _extra.Add(check);
    }

    public List<string> Problems(TradingPipeline pipeline)
    {
        var problems = new List<string>();
        if (!pipeline.Accepting) problems.Add("not accepting orders (starting or shutting down)");
        foreach (var shard in pipeline.Shards)
            if (!shard.IsRunning) problems.Add($"matching shard {shard.Index} is not running");
        bool anyOpen = false;
        foreach (var inst in pipeline.Instruments.All)
            anyOpen |= !pipeline.RiskBook.Instrument(inst.Index)!.Halted;
        if (!anyOpen) problems.Add("all trading is halted");
        lock (_extra)
            foreach (var check in _extra)
                if (check() is { } problem) problems.Add(problem);
        return problems;
    }
}

/// <summary>
/// <c>/debug/state-hash</c>: the deterministic hash of the whole state, taken with every shard paused - so for the
/// operator's view only (<see cref="OpsAccess"/>: the ops token or an admin token); anyone asking in a loop would stall
/// order entry.
/// </summary>
public static class StateHashEndpoint
{
    public static void MapStateHashEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/debug/state-hash", (TradingPipeline pipeline, HttpContext http) =>
        {
            if (OpsAccess.ViewOf(http) != OpsView.Operator) return OpsAccess.OperatorOnly("the state hash pauses every shard");
            // Under the apply gate: on a follower nothing is appended to the journal while the shards are held, so the
            // sequence reported is exactly the state hashed.
            lock (pipeline.ApplyGate)
            {
                using var pause = PipelinePause.TryPause(pipeline, TimeSpan.FromSeconds(10));
                if (pause is null)
                    return Api.ApiError.Result(StatusCodes.Status503ServiceUnavailable, "overloaded", "could not pause the shards to hash the state");
                string hash = Hft.Journal.StateHash.Compute(pipeline.Instruments, pipeline.Shards.Select(s => s.Engine), pipeline.RiskBook,
                    pipeline.Accounts.Name);
                return Results.Json(new { hash, journalSequence = pipeline.Journal.Stats.LastSequence });
            }
        });
    }
}
