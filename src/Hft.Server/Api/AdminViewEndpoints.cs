using System.Text.Json;
using Hft.Auth.Audit;
using Hft.Pipeline;
using Hft.Pipeline.Monitoring;
using Hft.Server.Auth;
using Hft.Server.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.Api;

/// <summary>
/// What an operator watches, on the API listener (role admin), for the console and scripts alike:
/// <c>GET /api/v1/admin/pipeline</c> (acceptance, readiness, shard queues, latency percentiles, journal and replication
/// state - the operations listener's figures in one read) and <c>GET /api/v1/admin/audit?limit=</c> (the newest audit
/// lines, newest first). Reads only: not audited themselves, so watching them adds nothing to the trail.
/// </summary>
public static class AdminViewEndpoints
{
    public static void MapAdminViewEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin").RequireAuthorization(AuthSetup.AdminPolicy);
        admin.MapGet("/pipeline", Pipeline);
        admin.MapGet("/audit", (AuditLog audit, int? limit) =>
        {
            if (limit is < 1 or > 1000) return ApiError.BadRequest("invalid_request", "limit must be 1 to 1000");
            var lines = AuditTail.Read(audit.Path, limit ?? 100);
            var entries = new List<JsonElement>(lines.Count);
            foreach (var line in lines)
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    entries.Add(doc.RootElement.Clone());
                }
                catch (JsonException)
                {
                    // a line being written right now, or not ours: skipped
                }
            }
            return Results.Json(entries);
        });
    }

    private static IResult Pipeline(TradingPipeline pipeline, PipelineMetrics metrics, ReadinessChecks readiness, IServiceProvider services)
    {
        var journal = pipeline.Journal;
        var stats = journal.Stats;
        var latency = metrics.Latency.Snapshot();
        var problems = readiness.Problems(pipeline);
        return Results.Json(new
        {
            accepting = pipeline.Accepting,
            ready = problems.Count == 0,
            problems,
            shards = pipeline.Shards.Select(s => new { shard = s.Index, queueDepth = s.QueueDepth, queueCapacity = s.QueueCapacity }),
            latency = new { unit = "microseconds", stages = LatencyRecorder.StageNames, sinceStart = latency.SinceStart, lastInterval = latency.LastInterval },
            journal = new
            {
                mode = journal.Mode.ToString().ToLowerInvariant(), lastSequence = stats.LastSequence, durableSequence = journal.DurableSequence,
                syncedSequence = journal.SyncedSequence, records = stats.Records, bytes = stats.Bytes, segments = stats.Segments,
                failed = journal.Failure is not null, failure = journal.Failure?.Message,
            },
            snapshot = pipeline.Snapshots.Last is { } last ? new { sequence = last.Sequence, written = last.Written } : null,
            replication = services.GetService(typeof(Hft.Pipeline.Replication.DrFollower)) is Hft.Pipeline.Replication.DrFollower dr
                ? Replication.ReplicationEndpoints.DrStatus(pipeline, dr)
                : Replication.ReplicationEndpoints.Status(pipeline, services.GetService(typeof(Hft.Pipeline.Replication.ReplicationService)) as Hft.Pipeline.Replication.ReplicationService),
        });
    }
}
