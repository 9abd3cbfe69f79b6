using System.Diagnostics;
using Hft.Configuration;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Journal;
using Hft.Pipeline.Admin;
using Hft.Pipeline.Durability;
using Hft.Pipeline.Recovery;
using Hft.Pipeline.Shards;
using Hft.Pipeline.State;
using Hft.Risk;

namespace Hft.Pipeline;

/// <summary>
/// The order path as gateways see it, over stages built by the node's composition root: admission (order ids, the
/// global throttle, order entry on or off by replication role, the shards' rings - never blocking the caller), the
/// shards, the journal and the durable outbox every reply waits in. With <c>[system] run_to_completion</c> the
/// submitting thread processes its shard itself; otherwise the shard's thread does.
/// </summary>
public sealed class TradingPipeline
{
    private readonly ShardSet _shards;
    private readonly OrderThrottle _throttle;
    private readonly IAdmissionObserver[] _admissionObservers;
    private readonly bool _runToCompletion;
    private long _nextOrderId;
    private volatile bool _accepting;
    private volatile bool _stopped;
    private volatile bool _orderEntry;
    private volatile bool _diverged;

    public TradingPipeline(HftConfig config, ReferenceData reference, ShardSet shards, JournalWriter journal, DurableOutbox outbox,
        RecoveryReport recovery, IAdmissionObserver[] admissionObservers, OrderDirectory? directory)
    {
        Config = config;
        Reference = reference;
        _shards = shards;
        Journal = journal;
        Outbox = outbox;
        Recovery = recovery;
        _admissionObservers = admissionObservers;
        _throttle = new OrderThrottle(config.Trading.MaxOrdersPerSecond);
        _runToCompletion = config.System.RunToCompletion;
        Role = config.Replication.Enabled ? ReplicationRole.Follower : ReplicationRole.Single;
        _orderEntry = !config.Replication.Enabled; // a replicated node leads only once elected and caught up
        _nextOrderId = Math.Max((long)config.Replication.Group << ReplicationConfig.GroupIdShift, recovery.HighestOrderId);
        foreach (var shard in shards.All) shard.AttachJournal(journal);
        Operators = new OperatorActions(this);
        Snapshots = new Snapshots(this, directory);
    }

    public HftConfig Config { get; }

    public ReferenceData Reference { get; }

    public InstrumentRegistry Instruments => Reference.Instruments;

    public RiskBook RiskBook => Reference.RiskBook;

    public AccountRegistry Accounts => Reference.Accounts;

    public IReadOnlyList<MatchingShard> Shards => _shards.All;

    /// <summary>What became of <c>[system] cpu_affinity</c>: shard threads pinned, pinning failures.</summary>
    public CpuPinning Pinning => _shards.Pinning;

    public MatchingShard ShardOf(int instrument) => _shards.Of(instrument);

    /// <summary>The shards with their instrument routing (restoring a snapshot places each order by it).</summary>
    internal ShardSet ShardSet => _shards;

    /// <summary>The write-ahead journal (mode none: sequences only, nothing written).</summary>
    public JournalWriter Journal { get; }

    /// <summary>Where every reply waits until the journal has made its command durable.</summary>
    public DurableOutbox Outbox { get; }

    /// <summary>What start-up recovery found and did.</summary>
    public RecoveryReport Recovery { get; }

    /// <summary>Operator changes: halts, marks, limits, kill switch (journaled, applied through <see cref="AdminStep"/>).</summary>
    public OperatorActions Operators { get; }

    /// <summary>Snapshots of the whole state (periodic, on shutdown, by an operator).</summary>
    public Snapshots Snapshots { get; }

    public bool Accepting => _accepting;

    /// <summary>True when every shard thread runs.</summary>
    public bool Running => _accepting && _shards.All.All(s => s.IsRunning);

    /// <summary>Shards started and not (cleanly) stopped: reading the whole state needs a pause.</summary>
    internal bool ShardsLive => !_stopped && _shards.All.Any(s => s.IsRunning);

    public void Start()
    {
        foreach (var shard in _shards.All) shard.Start();
        _accepting = true;
    }

    /// <summary>Graceful stop: refuse new commands, let every shard finish what it holds, within the timeout.</summary>
    public bool Stop(TimeSpan timeout)
    {
        _accepting = false;
        var deadline = Stopwatch.StartNew();
        bool drained = true;
        foreach (var shard in _shards.All)
            drained &= shard.StopAndDrain(timeout - deadline.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        Journal.Dispose(); // writes and fsyncs what is left
        _stopped = drained;
        return drained;
    }

    // ---- admission ----

    /// <summary>A new exchange order id (unique across shards, restarts and, by group, replication groups).</summary>
    public long NextOrderId() => Interlocked.Increment(ref _nextOrderId);

    /// <summary>The last order id handed out (snapshots record it).</summary>
    public long LastOrderId => Interlocked.Read(ref _nextOrderId);

    /// <summary>Replication: the order id counter continues after ids decided by the leader.</summary>
    internal void AdvanceOrderIds(long seen)
    {
        long current;
        while (seen > (current = Interlocked.Read(ref _nextOrderId)) && Interlocked.CompareExchange(ref _nextOrderId, seen, current) != current)
        {
        }
    }

    /// <summary>
    /// Admits one command (throttle for new orders and replaces, order entry on, the shard's ring) and, with
    /// run-to-completion, processes it on this thread before returning - its reply may then already be released.
    /// </summary>
    public AdmitResult Submit(in OrderCommand command, ICommandReply? reply, long receivedTimestamp, string? clientOrderId = null)
    {
        var batch = new SubmitBatch();
        var result = Submit(in command, reply, receivedTimestamp, clientOrderId, ref batch);
        Run(ref batch);
        return result;
    }

    /// <summary>
    /// Admits one command of a batch (a gateway's receive buffer): nothing is processed until <see cref="Run"/>, so one
    /// journal write carries the whole batch.
    /// </summary>
    public AdmitResult Submit(in OrderCommand command, ICommandReply? reply, long receivedTimestamp, string? clientOrderId, ref SubmitBatch batch)
    {
        var result = Admit(in command, reply, receivedTimestamp, clientOrderId, ref batch);
        if (result != AdmitResult.Accepted)
            foreach (var observer in _admissionObservers) observer.OnRefused(in command, result);
        return result;
    }

    /// <summary>Processes the batch's commands: on this thread (run-to-completion), else they are already with the shards' threads.</summary>
    public void Run(ref SubmitBatch batch)
    {
        ulong shards = batch.Shards;
        batch.Shards = 0;
        while (shards != 0)
        {
            int s = System.Numerics.BitOperations.TrailingZeroCount(shards);
            shards &= shards - 1;
            _shards[s].RunInline();
        }
    }

    private AdmitResult Admit(in OrderCommand command, ICommandReply? reply, long receivedTimestamp, string? clientOrderId, ref SubmitBatch batch)
    {
        if (!_accepting || Journal.Failure is not null) return AdmitResult.Stopping;
        if (!_orderEntry) return AdmitResult.NotLeader;
        if (command.Op is CommandOp.New or CommandOp.Replace && !_throttle.TryAdmit()) return AdmitResult.RateLimited;
        var slot = new PipelineCommand { Command = command, Reply = reply, ReceivedTimestamp = receivedTimestamp, ClientOrderId = clientOrderId };
        var shard = _shards.Of(command.Instrument); // an unknown instrument goes to shard 0, whose engine rejects it
        if (!shard.TryEnqueue(in slot, wake: !_runToCompletion)) return AdmitResult.Overloaded;
        if (_runToCompletion) batch.Shards |= 1UL << shard.Index;
        return AdmitResult.Accepted;
    }

    /// <summary>
    /// Cancels every open order of an account (one instrument or all) on every shard that may hold them, as a mass
    /// cancel (client, operator or kill switch). Must not be lost to a momentarily full ring: each enqueue is retried for
    /// up to a second. <paramref name="reply"/> is told once per shard. False when a ring stayed full.
    /// </summary>
    /// <exception cref="NotLeaderException">This node is a follower.</exception>
    public bool CancelAll(int account, int instrument, CancelReason reason, ICommandReply? reply = null)
    {
        if (!_orderEntry) throw new NotLeaderException(LeaderUrl);
        var cmd = OrderCommand.MassCancel(account, instrument, reason);
        bool all = true;
        foreach (var shard in _shards.All)
        {
            if (instrument >= 0 && shard != _shards.Of(instrument)) continue;
            all &= EnqueueRetrying(shard, new PipelineCommand { Command = cmd, Reply = reply, ReceivedTimestamp = Stopwatch.GetTimestamp() });
        }
        return all;
    }

    /// <summary>Queues a command that must not be lost to a momentarily full ring: retried for up to a second.</summary>
    private bool EnqueueRetrying(MatchingShard shard, in PipelineCommand slot)
    {
        var waited = Stopwatch.StartNew();
        bool queued;
        while (!(queued = shard.TryEnqueue(in slot, wake: !_runToCompletion)) && waited.ElapsedMilliseconds < 1000) Thread.Sleep(1);
        if (queued && _runToCompletion) shard.RunInline();
        return queued;
    }

    /// <summary>
    /// Expires the good-till-date orders due at <paramref name="nowUnixNanos"/> on every shard that holds any: an expiry
    /// command per shard through the normal command path (journaled and replicated like any command), so replay expires
    /// exactly the same orders. Retried like <see cref="CancelAll"/>; false when a ring stayed full (the next tick retries).
    /// Followers issue nothing: the leader's commands reach them.
    /// </summary>
    public bool ExpireDue(long nowUnixNanos)
    {
        if (!_orderEntry || !_accepting) return true;
        var cmd = OrderCommand.Expire(nowUnixNanos);
        bool all = true;
        foreach (var shard in _shards.All)
        {
            if (shard.Engine.NextExpiry > nowUnixNanos) continue; // read across threads: a stale value only moves one tick
            all &= EnqueueRetrying(shard, new PipelineCommand { Command = cmd, ReceivedTimestamp = Stopwatch.GetTimestamp() });
        }
        return all;
    }

    /// <summary>How many shards a mass cancel of <paramref name="instrument"/> (-1 = all) goes to: the replies it gets.</summary>
    public int ShardsFor(int instrument) => instrument >= 0 ? 1 : _shards.Count;

    /// <summary>Runs <paramref name="query"/> on a shard's own thread, in order with its commands.</summary>
    public bool Query(int shard, IShardQuery query) => _accepting && _shards[shard].TryEnqueue(new PipelineCommand { Query = query });

    // ---- replication role ----

    /// <summary>Single node, follower or leader (<see cref="Replication.ReplicationService"/> moves it).</summary>
    public ReplicationRole Role { get; private set; }

    /// <summary>Order entry and operator changes are taken here (single node, or a leader that has caught up).</summary>
    public bool OrderEntryEnabled => _orderEntry;

    /// <summary>The leader's API URL for a not_leader answer (null when unknown or this node leads).</summary>
    public string? LeaderUrl { get; private set; }

    /// <summary>
    /// Held while committed records are handed to the journal and the shard rings, and by whoever needs the journal's
    /// last sequence to match the shards' state (snapshot, state hash): pausing the shards under it leaves nothing
    /// appended but unapplied.
    /// </summary>
    public object ApplyGate { get; } = new();

    /// <summary>This node's state diverged from its group's: it is about to exit and rebuild (no snapshot of it).</summary>
    public bool Diverged => _diverged;

    /// <summary>Replication: this node becomes leader (order entry on) or follower (off, with the leader to send clients to).</summary>
    internal void SetRole(ReplicationRole role, string? leaderUrl)
    {
        _orderEntry = role != ReplicationRole.Follower;
        Role = role;
        LeaderUrl = role == ReplicationRole.Follower ? leaderUrl : null;
    }

    /// <summary>
    /// Replication: this node's in-memory state is no longer the group's (a deposed leader's uncommitted decisions, or a
    /// journal that diverged). It is about to exit and rebuild; nothing of this state may be persisted (no snapshot).
    /// </summary>
    internal void MarkDiverged()
    {
        _diverged = true;
        _orderEntry = false;
    }

    /// <summary>Replication: hands one committed command (journal record <paramref name="sequence"/>) to its shard(s), in log order (see <see cref="ApplyGate"/>).</summary>
    internal void EnqueueReplicated(in OrderCommand command, long sequence)
    {
        var slot = new PipelineCommand { Command = command, ReplicatedSequence = sequence };
        if (_shards.EveryShard(command.Instrument))
            foreach (var shard in _shards.All) EnqueueBlocking(shard, in slot);
        else
            EnqueueBlocking(_shards.Of(command.Instrument), in slot);
    }

    /// <summary>A committed command must not be dropped: wait for ring space (the shard keeps draining).</summary>
    private static void EnqueueBlocking(MatchingShard shard, in PipelineCommand slot)
    {
        var spinner = new SpinWait();
        while (!shard.TryEnqueue(in slot))
        {
            if (!shard.IsRunning && shard.QueueDepth >= shard.QueueCapacity) throw new InvalidOperationException($"shard {shard.Index} stopped with a full ring");
            spinner.SpinOnce();
        }
    }
}

/// <summary>The shards a gateway's batch of submitted commands went to (<see cref="TradingPipeline.Run"/> processes them).</summary>
public struct SubmitBatch
{
    internal ulong Shards;
}
