using Hft.Server.Operations;
using Hft.Pipeline;
using Hft.Pipeline.Replication;
using Prometheus;

namespace Hft.Server.Replication;

/// <summary>
/// hft_replication_*: role, term, how far the Raft log is committed and applied here, leader changes (read at scrape
/// time). Exported by a single node too (role 1: it leads itself; term, indexes and lag 0), so dashboards and the
/// "no leader" alert work the same for both modes.
/// </summary>
public sealed class ReplicationMetrics : IDisposable
{
    private readonly ScrapeHook _scrape;
    private readonly TradingPipeline _pipeline;
    private readonly ReplicationService? _service;
    private readonly Gauge _role, _term, _commit, _applied, _lag, _records;
    private readonly Counter _leaderChanges;

    public ReplicationMetrics(TradingPipeline pipeline, ReplicationService? service, CollectorRegistry registry)
    {
        _pipeline = pipeline;
        _service = service;
        var f = Metrics.WithCustomRegistry(registry);
        _role = f.CreateGauge("hft_replication_role", "1 when this node takes order entry (its group's leader, or a single node), 0 on a follower.");
        _term = f.CreateGauge("hft_replication_term", "Current Raft term seen by this node (0: single node).");
        _commit = f.CreateGauge("hft_replication_commit_index", "Index of the last Raft log entry this node knows is committed.");
        _applied = f.CreateGauge("hft_replication_applied_index", "Index of the last Raft log entry applied to this node's journal and shards.");
        _lag = f.CreateGauge("hft_replication_lag", "Committed Raft entries not yet applied on this node.");
        _records = f.CreateGauge("hft_replication_records_applied", "Journal records this node applied from the replicated log since it started.");
        _leaderChanges = f.CreateCounter("hft_replication_leader_changes_total", "Leader changes seen by this node (elections, losses).");
        _scrape = ScrapeHook.Register(registry, Collect);
    }

    private void Collect()
    {
        _role.Set(_pipeline.OrderEntryEnabled ? 1 : 0);
        if (_service?.Node is not { } node) return;
        _term.Set(node.Term);
        long commit = node.CommitIndex, applied = node.AppliedIndex;
        _commit.Set(commit);
        _applied.Set(applied);
        _lag.Set(Math.Max(0, commit - applied));
        _records.Set(_service.Applier.RecordsApplied);
        _leaderChanges.IncTo(node.LeaderChanges);
    }

    /// <summary>Stops collecting for scrapes (the host disposes it when the node stops).</summary>
    public void Dispose() => _scrape.Dispose();
}
