using Hft.Pipeline;
using Hft.Pipeline.Replication;
using Hft.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.Replication;

/// <summary><c>GET /replication/status</c>: this node's role in its group, the leader, and how far the log is applied (no auth, like /ready).</summary>
public static class ReplicationEndpoints
{
    public static void MapReplicationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/replication/status", (TradingPipeline pipeline, IServiceProvider services) =>
            Results.Json(Status(pipeline, services.GetService(typeof(ReplicationService)) as ReplicationService)));
    }

    public static object Status(TradingPipeline pipeline, ReplicationService? service)
    {
        var config = pipeline.Config.Replication;
        string role = RoleName(pipeline.Role);
        if (service?.Node is not { } node)
            return new
            {
                enabled = config.Enabled, group = config.Group, nodeId = config.Enabled ? service?.NodeId : 0, role,
                orderEntry = pipeline.OrderEntryEnabled, term = 0L, leader = (object?)null, commitIndex = 0L, appliedIndex = 0L,
                journalSequence = pipeline.Journal.Stats.LastSequence,
            };
        int? leader = service.LeaderIndex();
        return new
        {
            enabled = true, group = config.Group, nodeId = service.NodeId, role, orderEntry = pipeline.OrderEntryEnabled, term = node.Term,
            leader = leader is int i
                ? new { nodeId = i, raft = config.Peers[i], api = i < config.ApiUrls.Count ? config.ApiUrls[i] : null }
                : null,
            commitIndex = node.CommitIndex, appliedIndex = node.AppliedIndex, journalSequence = pipeline.Journal.Stats.LastSequence,
            leaderChanges = node.LeaderChanges, recordsApplied = service.Applier.RecordsApplied,
            leaderBatches = node.LeaderTimings.Batches,
            leaderAppendMsAvg = node.LeaderTimings.Batches == 0 ? 0 : node.LeaderTimings.AppendTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency / node.LeaderTimings.Batches,
            leaderCommitMsAvg = pipeline.Journal.Replication.CommitMsAverage,
            recordsPerEntry = pipeline.Journal.Replication.RecordsPerEntry,
            entriesInFlight = pipeline.Journal.Replication.InFlight,
            maxEntriesInFlight = pipeline.Journal.Replication.MaxInFlight,
        };
    }

    public static string RoleName(ReplicationRole role) => role switch
    {
        ReplicationRole.Leader => "leader",
        ReplicationRole.Follower => "follower",
        _ => "single",
    };
}
