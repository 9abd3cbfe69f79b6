using Prometheus;

namespace Hft.Server.Replication;

/// <summary>hft_replication_*: role, term, how far the Raft log is committed and applied here, leader changes (read at scrape time).</summary>
public sealed class ReplicationMetrics
{
    private readonly ReplicationService _service;
    private readonly Gauge _role, _term, _commit, _applied, _lag, _records;
    private readonly Counter _leaderChanges;

    public ReplicationMetrics(ReplicationService service, CollectorRegistry registry)
    {
        _service = service;
        var f = Metrics.WithCustomRegistry(registry);
        _role = f.CreateGauge("hft_replication_role", "1 on the group's leader with order entry on, 0 on a follower.");
        _term = f.CreateGauge("hft_replication_term", "Current Raft term seen by this node.");
        _commit = f.CreateGauge("hft_replication_commit_index", "Index of the last Raft log entry this node knows is committed.");
        _applied = f.CreateGauge("hft_replication_applied_index", "Index of the last Raft log entry applied to this node's journal and shards.");
        _lag = f.CreateGauge("hft_replication_lag", "Committed Raft entries not yet applied on this node.");
        _records = f.CreateGauge("hft_replication_records_applied", "Journal records this node applied from the replicated log since it started.");
        _leaderChanges = f.CreateCounter("hft_replication_leader_changes_total", "Leader changes seen by this node (elections, losses).");
        registry.AddBeforeCollectCallback(Collect);
    }

    private void Collect()
    {
        if (_service.Node is not { } node) return;
        _role.Set(_service.LeadsWithOrderEntry ? 1 : 0);
        _term.Set(node.Term);
        long commit = node.CommitIndex, applied = node.AppliedIndex;
        _commit.Set(commit);
        _applied.Set(applied);
        _lag.Set(Math.Max(0, commit - applied));
        _records.Set(_service.Applier.RecordsApplied);
        _leaderChanges.IncTo(node.LeaderChanges);
    }
}
