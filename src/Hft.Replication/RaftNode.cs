using System.Diagnostics;
using System.Net;
using DotNext.Net.Cluster;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Hft.Journal;

namespace Hft.Replication;

/// <summary>How one member of a Raft group runs (from <c>[replication]</c>).</summary>
public sealed record RaftNodeOptions
{
    /// <summary>This member's Raft endpoint, exactly as listed in <see cref="Members"/>.</summary>
    public required EndPoint Self { get; init; }

    public required IReadOnlyList<EndPoint> Members { get; init; }

    /// <summary>Directory of the Raft write-ahead log and state-machine files.</summary>
    public required string Dir { get; init; }

    public int ElectionTimeoutMs { get; init; } = 300;

    /// <summary><c>ack = leader</c>: a batch is acknowledged once in the leader's own log.</summary>
    public bool AcknowledgeOnAppend { get; init; }

    /// <summary>Mutual TLS with the peers ([tls] raft); null: plain TCP.</summary>
    public RaftTls? Tls { get; init; }

    /// <summary>Where DotNext logs (transitions, failed rounds, timeouts); null: nowhere.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? Loggers { get; init; }

    /// <summary>
    /// <c>[replication] snapshot_entries</c>: committed entries between Raft snapshots (taken from the node's state
    /// snapshots, see <see cref="JournalStateMachine"/>); the log is compacted behind each. 0: never.
    /// </summary>
    public long SnapshotEntries { get; init; } = 10_000;

    /// <summary>Size of one write-ahead log chunk file: compaction deletes whole chunks behind the snapshot.</summary>
    public int WalChunkBytes { get; init; } = 8 << 20;
}

/// <summary>
/// One member of a Raft group (DotNext <see cref="RaftCluster"/> over TCP with a persistent <see cref="WriteAheadLog"/>).
/// As the leader it is the <see cref="IJournalReplicator"/> of the node's journal: every group-commit batch of the
/// journal becomes one log entry. On every member committed entries go to the <see cref="IReplicatedLogApplier"/>.
/// </summary>
public sealed class RaftNode : IJournalReplicator, IAsyncDisposable
{
    private readonly RaftCluster _cluster;
    private readonly WriteAheadLog _log;
    private readonly JournalStateMachine _machine;
    private readonly RaftNodeOptions _options;
    private long _leaderChanges;
    private long _appendTicks, _batches;
    private int _disposed;
    private CancellationToken _ticketLeadership; // journal thread: the leadership its tickets were issued under
    private CancellationTokenRegistration _ticketLeadershipLost; // journal thread
    private long _ticketLeaderships;
    private readonly Lock _ticketGate = new();
    private CancellationToken _ticketsAllowedUnder; // under _ticketGate
    private volatile Action? _progress;

    private RaftNode(RaftNodeOptions options, RaftCluster cluster, WriteAheadLog log, JournalStateMachine machine)
    {
        _options = options;
        _cluster = cluster;
        _log = log;
        _machine = machine;
        _cluster.LeaderChanged += OnLeaderChanged;
    }

    /// <summary>
    /// The timeout of one Raft request for a lower election timeout of <paramref name="electionTimeoutMs"/>: three
    /// quarters of it, so a vote to a silent member fails inside the shortest voting window with room to count.
    /// </summary>
    public static TimeSpan RequestTimeoutFor(int electionTimeoutMs) => TimeSpan.FromMilliseconds(Math.Max(40, electionTimeoutMs * 3 / 4));

    /// <summary>
    /// Restores the newest Raft snapshot (the node installs it when its journal is behind it), opens the log
    /// (re-applying the committed entries after the snapshot) and joins the group.
    /// </summary>
    public static async Task<RaftNode> StartAsync(RaftNodeOptions options, IReplicatedLogApplier applier, CancellationToken cancellationToken)
    {
        var machine = new JournalStateMachine(new DirectoryInfo(Path.Combine(options.Dir, "state")), applier, options.SnapshotEntries);
        await machine.RestoreAsync(cancellationToken); // before the log: the log starts after the snapshot's index
        var log = new WriteAheadLog(new WriteAheadLog.Options
        {
            Location = Path.Combine(options.Dir, "wal"), // flushed to disk on every append and commit (DotNext 6: always)
            ChunkSize = options.WalChunkBytes, // the default makes a 4 KiB page file per page: thousands of files, an ftruncate + mmap each
        }, machine);
        var storage = new EndPointConfigurationStorage();
        var builder = storage.CreateInitialConfigurationBuilder();
        foreach (var member in options.Members) builder.Add(member);
        builder.Build();
        int lower = options.ElectionTimeoutMs;
        var config = new RaftCluster.TcpConfiguration(RaftEndPoints.ListenOn(options.Self))
        {
            PublicEndPoint = options.Self,
            ConfigurationStorage = storage,
            LowerElectionTimeout = lower,
            UpperElectionTimeout = 2 * lower,
            // Leadership stays put under load (docs/ARCHITECTURE.md, "Stable leadership"): a live leader refuses the
            // pre-vote of a follower that missed heartbeats, so a follower starved of CPU for a moment cannot depose a
            // leader the rest of the group still hears; only a leader that is gone (or cut off) is replaced.
            AggressiveLeaderStickiness = true,
            // One timeout serves every request, votes included, and DotNext's candidate (and pre-vote) waits for every
            // member's answer or failure before counting: a member that holds its connections open but never answers
            // (frozen, or cut off by a partition that drops packets) must fail within the candidate's voting window, the
            // random election timeout, or no election ever succeeds while it is away. So it stays below the lower
            // election timeout. A leader steps down after a round in which no majority answered within it.
            RequestTimeout = RequestTimeoutFor(lower),
            ConnectTimeout = TimeSpan.FromMilliseconds(Math.Max(40, lower / 2)),
            ColdStart = false,
            SslOptions = options.Tls?.ToSslOptions(),
            LoggerFactory = options.Loggers,
        };
        var cluster = new RaftCluster(config) { AuditTrail = log };
        await cluster.StartAsync(cancellationToken);
        var node = new RaftNode(options, cluster, log, machine);
        machine.Committed = node.OnCommitted;
        return node;
    }

    /// <summary>Raised (on a DotNext thread) whenever the group's leader changes, including to none.</summary>
    public event Action? LeaderChanged;

    private void OnLeaderChanged(ICluster cluster, IClusterMember? leader)
    {
        Interlocked.Increment(ref _leaderChanges);
        LeaderChanged?.Invoke();
    }

    /// <summary>This member holds leadership now (its leadership token is live).</summary>
    public bool IsLeader => Volatile.Read(ref _disposed) == 0 && !_cluster.LeadershipToken.IsCancellationRequested;

    /// <summary>Live while this member leads; cancelled the moment it stops leading.</summary>
    public CancellationToken LeadershipToken => _cluster.LeadershipToken;

    /// <summary>The current leader's Raft endpoint (null while there is none, e.g. during an election).</summary>
    public EndPoint? LeaderEndPoint => _cluster.Leader?.EndPoint;

    public EndPoint Self => _options.Self;

    public long Term => _cluster.Term;

    public long CommitIndex => _log.LastCommittedEntryIndex;

    public long AppliedIndex => _log.LastAppliedIndex;

    public long LastIndex => _log.LastEntryIndex;

    public long LeaderChanges => Interlocked.Read(ref _leaderChanges);

    /// <summary>Committed entries with records that this member applied since it started (replayed ones included).</summary>
    public long EntriesApplied => _machine.EntriesApplied;

    /// <summary>The log index and journal sequence of this member's current Raft snapshot (0, 0 without one).</summary>
    public (long Index, long Sequence) Snapshot => _machine.Current;

    /// <summary>Raft snapshots this member made from its state snapshots since it started.</summary>
    public long SnapshotsTaken => _machine.SnapshotsTaken;

    /// <summary>Raft snapshots the leader sent this member since it started (its log no longer held what this member missed).</summary>
    public long SnapshotsInstalled => _machine.SnapshotsInstalled;

    /// <summary>The log index of the Raft snapshot this member started from (0: none; it re-applied its log from the start).</summary>
    public long RestoredSnapshotIndex => _machine.RestoredIndex;

    /// <summary>Why the last state snapshot could not become the Raft snapshot (null when none failed).</summary>
    public string? SnapshotError => _machine.LastSnapshotError;

    public bool AcknowledgeOnAppend => _options.AcknowledgeOnAppend;

    /// <summary>Batches this member appended as leader, and the Stopwatch ticks spent appending them to its own log.</summary>
    public (long Batches, long AppendTicks) LeaderTimings => (Interlocked.Read(ref _batches), Interlocked.Read(ref _appendTicks));

    /// <summary>
    /// Order entry is switched on under <paramref name="leadership"/> (every entry committed before it applied here):
    /// the journal may issue tickets under it. Appends under any other leadership are refused.
    /// </summary>
    public void AllowTicketsUnder(CancellationToken leadership)
    {
        lock (_ticketGate) _ticketsAllowedUnder = leadership;
    }

    /// <summary>The leadership order entry was last switched on under (<see cref="AllowTicketsUnder"/>; default before).</summary>
    public CancellationToken TicketsAllowedUnder
    {
        get
        {
            lock (_ticketGate) return _ticketsAllowedUnder;
        }
    }

    /// <summary>Gives up leadership now (the group elects again; this member may win again in a later term).</summary>
    public async Task<bool> ResignAsync(CancellationToken cancellationToken) => await ((ICluster)_cluster).ResignAsync(cancellationToken);

    /// <summary>Leaderships under which this member's journal appended (a member elected again counts once more).</summary>
    public long TicketLeaderships => Interlocked.Read(ref _ticketLeaderships);

    /// <summary>A new leader: completes once every entry committed so far (earlier terms included) has been applied here.</summary>
    public Task ApplyReadBarrierAsync(CancellationToken cancellationToken) => _cluster.ApplyReadBarrierAsync(cancellationToken).AsTask();

    /// <summary>
    /// Journal thread, leader only: appends the batch as one entry of the current term and starts a replication round
    /// (the entry joins the round in progress or the next one); does not wait for the commit. -1 when not the leader.
    /// </summary>
    public long Append(ReadOnlySpan<byte> records, bool nothingInFlight)
    {
        var leadership = _cluster.LeadershipToken;
        if (leadership.IsCancellationRequested || Volatile.Read(ref _disposed) != 0) return -1;
        if (_ticketLeadership != leadership)
        {
            // Only under the leadership order entry was switched on under (after the read barrier: this member's state
            // is the group's). Tickets of an earlier leadership are void (its log tail may have been replaced since): a
            // leadership won again is taken up only once none of them is in flight; else the journal stops, the node restarts.
            if (leadership != TicketsAllowedUnder) return -1;
            if (_ticketLeadership != default && !nothingInFlight) return -1;
            _ticketLeadership = leadership;
            _ticketLeadershipLost.Dispose();
            _ticketLeadershipLost = leadership.UnsafeRegister(static state => ((RaftNode)state!)._progress?.Invoke(), this); // lost: CommittedTicket -1
            Interlocked.Increment(ref _ticketLeaderships);
        }
        var entry = new BinaryLogEntry { Content = records.ToArray(), Term = _cluster.Term };
        try
        {
            long start = Stopwatch.GetTimestamp();
            var append = _log.AppendAsync(entry, leadership);
            long index = append.IsCompletedSuccessfully ? append.Result : append.AsTask().GetAwaiter().GetResult();
            Interlocked.Add(ref _appendTicks, Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref _batches);
            // Start a round now rather than at the next heartbeat; nothing waits for it (the commit wakes the journal).
            var round = _cluster.ForceReplicationAsync(leadership);
            if (!round.IsCompleted) round.AsTask().ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            else if (round.IsFaulted) _ = round.AsTask().Exception;
            return index;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return -1;
        }
    }

    /// <summary>
    /// The commit index while the leadership the tickets were issued under lasts; -1 after. Read in that order: a
    /// commit index seen before the leadership token was cancelled is this term's, so the entries up to it are ours.
    /// </summary>
    public long CommittedTicket
    {
        get
        {
            long committed = _log.LastCommittedEntryIndex;
            return _ticketLeadership == default || _ticketLeadership.IsCancellationRequested || Volatile.Read(ref _disposed) != 0 ? -1 : committed;
        }
    }

    public Action? Progress
    {
        set => _progress = value;
    }

    /// <summary>
    /// The log hands a committed entry to the state machine: the commit index has passed it, so the journal is woken
    /// at once, on the apply thread, before the entry is applied (no wait for the apply, no thread-pool hop).
    /// </summary>
    private void OnCommitted()
    {
        if (_ticketLeadership != default) _progress?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _cluster.LeaderChanged -= OnLeaderChanged;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _cluster.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _cluster.Dispose();
        await _log.DisposeAsync();
        await _machine.DisposeAsync();
    }
}
