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
            services.GetService(typeof(DrFollower)) is DrFollower dr
                ? Results.Json(DrStatus(pipeline, dr))
                : Results.Json(Status(pipeline, services.GetService(typeof(ReplicationService)) as ReplicationService)));
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

    /// <summary>A disaster-recovery replica: "follower" (no order entry) until promoted, then "single"; what it follows and how far behind it is.</summary>
    public static object DrStatus(TradingPipeline pipeline, DrFollower dr) => new
    {
        enabled = false, group = pipeline.Config.Replication.Group, nodeId = 0, role = RoleName(pipeline.Role), orderEntry = pipeline.OrderEntryEnabled,
        term = 0L, leader = (object?)null, journalSequence = pipeline.Journal.Stats.LastSequence,
        dr = new
        {
            following = dr.Promotion is null && !dr.Diverged, connected = dr.Connected, source = dr.Source, sourceSequence = dr.SourceSequence,
            appliedSequence = dr.AppliedSequence, lagRecords = dr.LagRecords, lagSeconds = Math.Round(dr.LagSeconds, 3), reconnects = dr.Reconnects,
            recordsApplied = dr.Applier.RecordsApplied, diverged = dr.Diverged, lastError = dr.LastError,
            promotedAt = dr.Promotion?.PromotedAt, promotedAtSequence = dr.Promotion?.LastSequence,
        },
    };

    public static string RoleName(ReplicationRole role) => role switch
    {
        ReplicationRole.Leader => "leader",
        ReplicationRole.Follower => "follower",
        _ => "single",
    };
}
