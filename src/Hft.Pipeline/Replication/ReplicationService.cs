using System.Diagnostics;
using System.Net;
using Hft.Configuration;
using Hft.Pipeline.Shards;
using Hft.Pipeline.State;
using Hft.Replication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hft.Pipeline.Replication;

/// <summary>
/// Runs this node's member of its Raft group ([replication] enabled) and moves the pipeline between roles:
/// <list type="bullet">
/// <item>follower: order entry and operator changes refused (not_leader, with the leader's URL), committed records
/// applied by <see cref="ReplicatedApplier"/>, reads served;</item>
/// <item>leader: once elected, every committed entry applied and the shards drained of them, order entry is switched
/// on; the journal hands each batch to the log and acknowledges on commit;</item>
/// <item>deposed leader: order entry off at once; when it holds decided records the group has not committed (they
/// may never be), its state is no longer the group's and it exits with <see cref="DivergedExitCode"/> so that its
/// supervisor restarts it from the committed log.</item>
/// </list>
/// Registered after the pipeline service: starts once the shards run, stops before they drain.
/// </summary>
public sealed class ReplicationService : IHostedService, IAsyncDisposable
{
    /// <summary>Exit code of a deposed leader whose state must be rebuilt (EX_TEMPFAIL: restart me).</summary>
    public const int DivergedExitCode = 75;

    private readonly TradingPipeline _pipeline;
    private readonly ReplicationConfig _config;
    private readonly ILogger _log;
    private readonly Action<string> _onDiverged;
    private readonly ReplicatedApplier _applier;
    private readonly RaftTls? _tls;
    private readonly ILoggerFactory? _raftLoggers;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _changed = new(0);
    private EndPoint[] _members = [];
    private RaftNode? _node;
    private Task? _monitor;
    private int _nodeId = -1;
    private long _promotions;

    /// <param name="tls">Mutual TLS with the peers ([tls] raft), built by the composition root; null: plain TCP.</param>
    /// <param name="raftLoggers">Where the Raft engine logs its own warnings (why a leader stepped down, a peer timed out); null: nowhere.</param>
    public ReplicationService(TradingPipeline pipeline, OrderDirectory? directory, ILogger log, Action<string>? onDiverged = null, RaftTls? tls = null,
        ILoggerFactory? raftLoggers = null)
    {
        _raftLoggers = raftLoggers;
        _tls = tls;
        _pipeline = pipeline;
        _config = pipeline.Config.Replication;
        _log = log;
        _onDiverged = reason =>
        {
            log.LogCritical("replication: {Reason}; restarting (exit code {Code}) to recover from the committed log", reason, DivergedExitCode);
            if (onDiverged is null) Environment.Exit(DivergedExitCode);
            else onDiverged(reason);
        };
        _applier = new ReplicatedApplier(pipeline, directory, OnJournalDiverged, reason =>
        {
            _log.LogWarning("replication: {Reason}", reason);
            // the journal on disk is rebased already: a node being stopped recovers from it at its next start
            if (!_stopping.IsCancellationRequested) _onDiverged(reason); // the Raft log is kept: it starts at the snapshot this node now holds
        });
    }

    public RaftNode? Node => _node;

    public int NodeId => _nodeId;

    /// <summary>This node leads its group and takes order entry.</summary>
    public bool LeadsWithOrderEntry => _pipeline.Role == ReplicationRole.Leader;

    public ReplicatedApplier Applier => _applier;

    /// <summary>Times this node became the leader with order entry on.</summary>
    public long Promotions => Interlocked.Read(ref _promotions);

    /// <summary>How long the last promotion took from election to order entry (catching up included).</summary>
    public TimeSpan LastPromotion { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _nodeId = _config.ResolveNodeId(Environment.MachineName)
            ?? throw new InvalidOperationException($"[replication] node_id = -1 but the host name \"{Environment.MachineName}\" has no trailing -<ordinal>");
        if (_nodeId >= _config.Peers.Count)
            throw new InvalidOperationException($"[replication] node id {_nodeId} (from the host name) is not an index of peers (0..{_config.Peers.Count - 1})");
        _members = _config.Peers.Select(RaftEndPoints.Parse).ToArray();
        var options = new RaftNodeOptions
        {
            Self = _members[_nodeId],
            Members = _members,
            Dir = _config.ResolveDir(_pipeline.Config.Journal.Dir),
            ElectionTimeoutMs = _config.ElectionTimeoutMs,
            AcknowledgeOnAppend = _config.Ack == "leader",
            Tls = _tls,
            Loggers = _raftLoggers,
            SnapshotEntries = _config.SnapshotEntries,
        };
        _node = await RaftNode.StartAsync(options, _applier, cancellationToken);
        _pipeline.Journal.MaxInFlight = _config.MaxInFlight;
        _pipeline.Journal.Replicator = _node;
        _node.LeaderChanged += () => _changed.Release();
        _monitor = Task.Run(MonitorAsync, CancellationToken.None);
        _log.LogInformation("replication: node {Node} of {Count} ({Self}), group {Group}, ack {Ack}, up to {Window} entries in flight, {Transport}, raft log in {Dir}; following until elected",
            _nodeId, _members.Length, _config.Peers[_nodeId], _config.Group, _config.Ack, _config.MaxInFlight, _tls is null ? "plain TCP" : "mutual TLS", options.Dir);
    }

    /// <summary>Watches leadership: on every leader change and at least every 50 ms.</summary>
    private async Task MonitorAsync()
    {
        var node = _node!;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (_pipeline.Role == ReplicationRole.Leader && (!node.IsLeader || node.LeadershipToken != node.TicketsAllowedUnder))
                    Demote("leadership lost"); // also when won back before this loop looked: the group may have moved on in between
                else if (_pipeline.Role == ReplicationRole.Leader && _pipeline.Journal.Failure is { } failure)
                    Demote($"the journal stopped ({failure.Message})"); // a leader that cannot journal takes no order: make way
                else if (node.IsLeader && _pipeline.Role != ReplicationRole.Leader) await PromoteAsync(node, node.LeadershipToken);
                else if (_pipeline.Role == ReplicationRole.Follower) _pipeline.SetRole(ReplicationRole.Follower, LeaderApiUrl());
                await _changed.WaitAsync(TimeSpan.FromMilliseconds(50), _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogError("replication: {Error}", e.Message);
                await Task.Delay(100);
            }
        }
    }

    /// <summary>
    /// Order entry only once every entry committed before this term is applied here (Raft's read barrier commits the
    /// new leader's own entry, which carries all earlier ones) and the shards have processed them: the next sequence
    /// and order id then continue exactly where the group's log ends.
    /// </summary>
    private async Task PromoteAsync(RaftNode node, CancellationToken leadership)
    {
        var clock = Stopwatch.StartNew();
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(leadership, _stopping.Token))
        {
            wait.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await node.ApplyReadBarrierAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                return; // lost it again, or stopping: try again on the next round
            }
        }
        lock (_pipeline.ApplyGate)
        {
            using var drained = PipelinePause.TryPause(_pipeline, TimeSpan.FromSeconds(10));
            if (drained is null || leadership.IsCancellationRequested) return;
            node.AllowTicketsUnder(leadership);
            _pipeline.SetRole(ReplicationRole.Leader, null);
        }
        leadership.Register(() => _changed.Release());
        LastPromotion = clock.Elapsed;
        Interlocked.Increment(ref _promotions);
        _log.LogInformation("replication: leader of group {Group} in term {Term}; order entry on after {Ms:N0} ms (journal at seq {Seq})",
            _config.Group, node.Term, clock.Elapsed.TotalMilliseconds, _pipeline.Journal.Stats.LastSequence);
    }

    /// <summary>
    /// The group committed a record different from the one this node holds at <paramref name="sequence"/>: cut the
    /// journal before it (the cut part is kept as *.diverged) and restart; the log then supplies the group's records.
    /// </summary>
    private void OnJournalDiverged(long sequence)
    {
        _pipeline.SetRole(ReplicationRole.Follower, LeaderApiUrl());
        string dir = _pipeline.Config.Journal.Dir;
        _log.LogCritical("replication: this node's journal diverged from the group's committed log at sequence {Sequence}", sequence);
        _pipeline.MarkDiverged();
        _pipeline.Journal.Dispose(); // nothing is appended any more (apply stopped, order entry off); close the segment before cutting it
        foreach (var line in Hft.Journal.JournalTruncation.CutFrom(dir, sequence)) _log.LogCritical("replication: {Line}", line);
        Exit($"journal diverged from the group's log at sequence {sequence}; cut there");
    }

    /// <summary>
    /// Sets this node's Raft log aside, then exits (75) to be restarted. The log may hold an entry the group never
    /// committed as if it were committed (DotNext 6.12 applied a deposed leader's own tail again after a restart; seen
    /// with SIGSTOP partitions): kept, it would be applied again on every restart. The restarted node fetches the log
    /// from the leader (the group's snapshot, installed when its journal is behind it, and the entries after it) and
    /// skips, fingerprint-checked, what its journal holds; its vote record is kept. Until it has caught up this member holds no copy of the log: a second failure in that window could cost
    /// the group entries that only it and one other member held.
    /// </summary>
    private void Exit(string reason)
    {
        if (Interlocked.Exchange(ref _exiting, 1) != 0) return;
        string raft = _config.ResolveDir(_pipeline.Config.Journal.Dir);
        string aside = $"{raft}.diverged-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
        try
        {
            if (Directory.Exists(raft)) Directory.Move(raft, aside);
            reason += $"; Raft log moved aside to {aside}";
            // Keep the vote record (term, voted-for: DotNext's wal/state file), so this member cannot vote twice in a term.
            string vote = Path.Combine(aside, "wal", "state");
            if (File.Exists(vote))
            {
                Directory.CreateDirectory(Path.Combine(raft, "wal"));
                File.Copy(vote, Path.Combine(raft, "wal", "state"));
            }
        }
        catch (IOException e)
        {
            reason += $"; the Raft log could not be moved aside ({e.Message}): remove {raft} by hand";
        }
        _onDiverged(reason);
    }

    private int _exiting;

    private void Demote(string why)
    {
        _pipeline.SetRole(ReplicationRole.Follower, LeaderApiUrl());
        _log.LogWarning("replication: {Why}; order entry off, following", why);
        // Commands decided here but not (yet) committed are in this node's state; the group may never commit them.
        using (PipelinePause.TryPause(_pipeline, TimeSpan.FromSeconds(5)))
        {
        }
        var journal = _pipeline.Journal;
        long decided = journal.Stats.LastSequence, committed = journal.WrittenSequence;
        if (journal.Failure is not null || decided > committed)
        {
            _pipeline.MarkDiverged();
            _applier.Stop();
            Exit($"deposed leader holds decided records up to seq {decided} but only {committed} are committed"
                + (journal.Failure is { } f ? $" ({f.Message})" : ""));
        }
    }

    /// <summary>Why this node is not ready for reads (null when it is): not joined yet, no leader known, or too far behind the log.</summary>
    public string? ReadinessProblem()
    {
        if (_node is not { } node) return "replication: not joined to the group yet";
        if (Volatile.Read(ref _exiting) != 0) return "replication: this node's state diverged from the group's; it restarts";
        if (_pipeline.Role != ReplicationRole.Follower) return null;
        if (LeaderIndex() is null) return "replication: no leader known (election in progress)";
        long lag = node.CommitIndex - node.AppliedIndex;
        return lag > _config.MaxReadyLag
            ? $"replication: {lag} committed entries not applied yet (max_ready_lag {_config.MaxReadyLag}): reads would be stale"
            : null;
    }

    /// <summary>The API URL of the current leader, when [replication] api_urls names it.</summary>
    public string? LeaderApiUrl() => LeaderIndex() is int i && i < _config.ApiUrls.Count ? _config.ApiUrls[i] : null;

    /// <summary>The index in peers of the current leader, or null while there is none.</summary>
    public int? LeaderIndex()
    {
        if (_node?.LeaderEndPoint is not { } leader) return null;
        for (int i = 0; i < _members.Length; i++)
            if (_members[i].Equals(leader)) return i;
        return null;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_node is null) return;
        // A leader hands over cleanly: no new order entry, let the journal finish what is in flight, then leave.
        await _stopping.CancelAsync();
        if (_monitor is not null) await _monitor;
        bool leading = _pipeline.Role == ReplicationRole.Leader;
        _pipeline.SetRole(ReplicationRole.Follower, null);
        if (leading)
        {
            var journal = _pipeline.Journal;
            var wait = Stopwatch.StartNew();
            while (journal.WrittenSequence < journal.Stats.LastSequence && journal.Failure is null && wait.Elapsed < TimeSpan.FromSeconds(5))
                await Task.Delay(5, CancellationToken.None);
        }
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        var node = Interlocked.Exchange(ref _node, null);
        if (node is not null) await node.DisposeAsync();
    }
}
