using System.Diagnostics;
using Hft.Configuration;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Journal;
using Hft.Risk;

namespace Hft.Pipeline;

/// <summary>Why a command could not enter the pipeline (nothing was done).</summary>
public enum AdmitResult : byte
{
    Accepted = 0,
    RateLimited = 1,
    Overloaded = 2,
    Stopping = 3,

    /// <summary>Replicated mode: this node is not the group's leader (or not yet caught up as one).</summary>
    NotLeader = 4,
}

/// <summary>What this node is in its replication group.</summary>
public enum ReplicationRole : byte
{
    /// <summary>Replication off: the node is its own leader.</summary>
    Single = 0,

    /// <summary>Applies what the leader decided; serves reads; refuses order entry and operator changes.</summary>
    Follower = 1,

    /// <summary>Decides: order entry and operator changes, replicated before they are acknowledged.</summary>
    Leader = 2,
}

/// <summary>An order-entry or operator change reached a node that is not its group's leader (HTTP 421, code not_leader).</summary>
public sealed class NotLeaderException(string? leaderUrl)
    : InvalidOperationException(leaderUrl is null
        ? "this node is not the leader of its replication group and no leader is known yet; retry shortly"
        : $"this node is not the leader of its replication group; the leader is {leaderUrl}")
{
    /// <summary>The leader's API URL when known.</summary>
    public string? LeaderUrl { get; } = leaderUrl;
}

/// <summary>What one snapshot wrote and how long it took (<see cref="Paused"/>: shards held still).</summary>
public sealed record SnapshotResult(string Path, long Sequence, int Orders, int Accounts, long Bytes, TimeSpan Paused, TimeSpan Elapsed,
    PruneResult Pruned)
{
    public DateTimeOffset Written { get; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// The composition root of the trading pipeline, read top to bottom:
/// 1. instruments from [trading] (tick, lot, band, mark; symbols not enabled start halted);
/// 2. accounts from [[accounts]] with [risk] defaults for the limits they do not set;
/// 3. one shared <see cref="RiskBook"/>; symbols spread round-robin over [system] max_workers matching shards,
///    each a single-writer thread with its own engine, risk stage and bounded ring of worker_queue_size;
/// 4. admission for gateways: global throttle (max_orders_per_second, else rate_limited), then the shard's ring
///    (full → overloaded) — never blocking the caller.
/// </summary>
public sealed class TradingPipeline
{
    private readonly MatchingShard[] _shards;
    private readonly int[] _shardOfInstrument;
    private readonly OrderThrottle _throttle;
    private readonly IAdmissionObserver[] _admissionObservers;
    private long _nextOrderId;
    private volatile bool _accepting;
    private volatile bool _stopped;
    private volatile bool _orderEntry;
    private readonly OrderDirectory? _directory;
    private readonly object _snapshotGate = new();

    public TradingPipeline(HftConfig config, IReadOnlyList<IPipelineObserver> observers)
    {
        Config = config;
        Role = config.Replication.Enabled ? ReplicationRole.Follower : ReplicationRole.Single;
        _orderEntry = !config.Replication.Enabled; // a replicated node leads only once elected and caught up
        _nextOrderId = (long)config.Replication.Group << ReplicationConfig.GroupIdShift;
        Instruments = new InstrumentRegistry();
        RiskBook = new RiskBook();
        Accounts = new AccountRegistry();
        _throttle = new OrderThrottle(config.Trading.MaxOrdersPerSecond);
        _admissionObservers = observers.OfType<IAdmissionObserver>().ToArray();
        _directory = observers.OfType<OrderDirectory>().FirstOrDefault();

        // 1. instruments
        var enabled = new HashSet<string>(config.Trading.EnabledSymbols, StringComparer.Ordinal);
        foreach (var ic in config.Trading.Instruments)
        {
            if (!ScaledUnit.TryParse(System.Text.Encoding.ASCII.GetBytes(ic.Tick), out var tick, out var tickError))
                throw new InvalidOperationException($"instrument {ic.Symbol}: tick {tickError}");
            if (!ScaledUnit.TryParse(System.Text.Encoding.ASCII.GetBytes(ic.Lot), out var lot, out var lotError))
                throw new InvalidOperationException($"instrument {ic.Symbol}: lot {lotError}");
            if (!Instruments.TryAdd(ic.Symbol, tick, lot, out var instrument, out var error))
                throw new InvalidOperationException(error);
            var ri = RiskBook.AddInstrument(instrument);
            if (ic.PriceBandPct is { } band && Amount.TryParse(System.Text.Encoding.ASCII.GetBytes(band), out var pct)) ri.BandPct = pct;
            if (ic.MarkPrice is { } mark && instrument.TryParsePrice(System.Text.Encoding.ASCII.GetBytes(mark), out long markTicks) == RejectReason.None)
                ri.Mark = markTicks;
            ri.Halted = !enabled.Contains(ic.Symbol);
        }

        // 2. accounts
        foreach (var ac in config.Accounts) DeclareAccount(ac, config.Risk);

        // 3. shards
        int workers = Math.Clamp(config.System.MaxWorkers, 1, Math.Max(1, Instruments.Count));
        _shards = new MatchingShard[workers];
        _shardOfInstrument = new int[Instruments.Count];
        var observerArray = observers.ToArray();
        for (int s = 0; s < workers; s++)
        {
            var engine = new MatchingEngine(new EngineOptions
            {
                OrderCapacity = 1 << 18,
                OrderIdCapacity = 1 << 22,
                LevelCapacity = 4096,
            });
            var risk = new RiskStage(new RiskOptions { RejectUndeclaredAccounts = true, OpenOrderCapacity = 1 << 18 }, RiskBook);
            int cpu = config.System.CpuAffinity ? s % Environment.ProcessorCount : -1;
            _shards[s] = new MatchingShard(s, config.System.WorkerQueueSize, engine, risk, observerArray, cpu);
        }
        foreach (var instrument in Instruments.All)
        {
            int s = instrument.Index % workers;
            _shardOfInstrument[instrument.Index] = s;
            _shards[s].Engine.AddInstrument(instrument);
        }

        // 4. durability: replay the journal into the shards, then open it for appending after the last record.
        var mode = ParseMode(config.Journal.Mode);
        Recovery = mode == JournalMode.None
            ? RecoveryReport.Nothing
            : JournalRecovery.Run(this, config.Journal.Dir, repair: config.Journal.Repair, observers);
        Journal = new JournalWriter(config.Journal.Dir, mode, Recovery.LastSequence + 1,
            (long)config.Journal.SegmentMegabytes << 20, config.Journal.FsyncIntervalMs);
        foreach (var (sequence, crc) in Recovery.Fingerprints) Journal.SeedFingerprint(sequence, crc);
        foreach (var shard in _shards) shard.AttachJournal(Journal);
        IPipelineObserver[] replicaObservers = observers.Where(o => o is not IAdmissionObserver).ToArray();
        foreach (var shard in _shards) shard.AttachReplicaObservers(replicaObservers);
    }

    // ---- replication role ----

    /// <summary>Single node, follower or leader (<see cref="Hft.Server.Replication.ReplicationService"/> moves it).</summary>
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

    private volatile bool _diverged;

    /// <summary>Refuses an operator change on a follower (it would fork the group's state).</summary>
    private void EnsureLeader()
    {
        if (!_orderEntry) throw new NotLeaderException(LeaderUrl);
    }

    /// <summary>Replication: hands one committed command to the shard(s) it belongs to, in log order (see <see cref="ApplyGate"/>).</summary>
    internal void EnqueueReplicated(in OrderCommand command, bool allShards)
    {
        var slot = new PipelineCommand { Command = command, Replicated = true, ReceivedTimestamp = Stopwatch.GetTimestamp() };
        if (allShards)
            foreach (var shard in _shards) EnqueueBlocking(shard, in slot);
        else
            EnqueueBlocking(ShardOf(command.Instrument), in slot);
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

    /// <summary>The write-ahead journal (mode none: sequences only, nothing written).</summary>
    public JournalWriter Journal { get; }

    /// <summary>What start-up recovery found and did.</summary>
    public RecoveryReport Recovery { get; }

    private static JournalMode ParseMode(string mode) => mode switch
    {
        "sync" => JournalMode.Sync,
        "async" => JournalMode.Async,
        _ => JournalMode.None,
    };

    /// <summary>Recovery only: the order id counter continues after the highest journaled id.</summary>
    internal void AdvanceOrderIds(long seen)
    {
        long current;
        while (seen > (current = Interlocked.Read(ref _nextOrderId)) && Interlocked.CompareExchange(ref _nextOrderId, seen, current) != current)
        {
        }
    }

    public HftConfig Config { get; }

    public InstrumentRegistry Instruments { get; }

    public RiskBook RiskBook { get; }

    public AccountRegistry Accounts { get; }

    public IReadOnlyList<MatchingShard> Shards => _shards;

    public bool Accepting => _accepting;

    /// <summary>True when every shard thread runs.</summary>
    public bool Running => _accepting && _shards.All(s => s.IsRunning);

    public void Start()
    {
        foreach (var shard in _shards) shard.Start();
        _accepting = true;
    }

    /// <summary>Graceful stop: refuse new commands, let every shard finish what it holds, within the timeout.</summary>
    public bool Stop(TimeSpan timeout)
    {
        _accepting = false;
        var deadline = Stopwatch.StartNew();
        bool drained = true;
        foreach (var shard in _shards)
            drained &= shard.StopAndDrain(timeout - deadline.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        Journal.Dispose(); // writes and fsyncs what is left
        _stopped = drained;
        return drained;
    }

    // ---- snapshots ----

    /// <summary>The last snapshot this process wrote (null before the first).</summary>
    public SnapshotResult? LastSnapshot { get; private set; }

    /// <summary>Snapshots written by this process.</summary>
    public long SnapshotsTaken { get; private set; }

    /// <summary>
    /// Writes a snapshot of the whole state to the journal directory and prunes what it makes redundant (older
    /// snapshots beyond the newest two, segments wholly covered by the older of those). While trading, every shard is
    /// paused at a command boundary just long enough to copy the state: then everything processed has been appended
    /// to the journal, so the journal's last sequence at that moment is the one the snapshot covers. The file is
    /// written after the shards resume, once the journal has fsynced up to that sequence. One snapshot at a time.
    /// </summary>
    /// <param name="timeout">How long to wait for the pause and for the journal's fsync.</param>
    /// <param name="prune">Prune after writing (benchmarks turn it off to keep the full journal).</param>
    /// <exception cref="InvalidOperationException">Journal mode none (nothing to snapshot against).</exception>
    /// <exception cref="TimeoutException">The shards could not be paused, or the journal not synced, in time.</exception>
    public SnapshotResult TakeSnapshot(TimeSpan timeout, bool prune = true)
    {
        if (Journal.Mode == JournalMode.None) throw new InvalidOperationException("journal mode none: there is no journal to snapshot against");
        if (_diverged) throw new InvalidOperationException("this node's state diverged from its replication group's: it is restarting, no snapshot");
        lock (_snapshotGate)
        {
            var clock = Stopwatch.StartNew();
            SnapshotData data;
            lock (ApplyGate) // a follower's journal may not run ahead of its shards while they are copied
            {
                if (_diverged) throw new InvalidOperationException("this node's state diverged from its replication group's: no snapshot");
                // Shards started and not (cleanly) stopped: pause them. Before start or after a drained stop nothing moves.
                bool live = _shards.Any(s => s.IsRunning) && !_stopped;
                using (var pause = live ? PipelinePause.TryPause(this, timeout) : null)
                {
                    if (live && pause is null) throw new TimeoutException("could not pause every shard for the snapshot");
                    long sequence = Journal.Stats.LastSequence;
                    data = SnapshotStore.Capture(sequence, Interlocked.Read(ref _nextOrderId), Instruments, _shards.Select(s => s.Engine), RiskBook,
                        Accounts.Name, OrderInfo);
                }
            }
            var paused = clock.Elapsed;
            if (data.Sequence > 0 && !Journal.WaitSynced(data.Sequence, timeout))
                throw new TimeoutException($"the journal did not fsync up to sequence {data.Sequence} in time");
            string path = SnapshotStore.Write(Config.Journal.Dir, data);
            var pruned = prune ? SnapshotStore.Prune(Config.Journal.Dir, keepSnapshots: 2) : new PruneResult([], []);
            var result = new SnapshotResult(path, data.Sequence, data.Orders.Count, data.Accounts.Count, new FileInfo(path).Length, paused,
                clock.Elapsed, pruned);
            LastSnapshot = result;
            SnapshotsTaken++;
            return result;
        }
    }

    private SnapshotOrderInfo? OrderInfo(long id)
    {
        if (_directory?.Find(id) is not { } r) return null;
        lock (r) return new SnapshotOrderInfo(r.Quantity, r.Filled, (r.CreatedAt - DateTimeOffset.UnixEpoch).Ticks / 10, r.ClientOrderId);
    }

    /// <summary>Recovery only: restores a snapshot into the freshly built shards, registering its resting orders with the directory.</summary>
    internal void RestoreSnapshot(SnapshotData data, string name, OrderDirectory? directory)
    {
        SnapshotStore.Restore(data, Instruments, RiskBook, i => (ShardOf(i).Engine, ShardOf(i).Risk), Accounts.GetOrAdd, name);
        foreach (var o in data.Orders)
        {
            directory?.TryRegister(new OrderRecord
            {
                Id = o.Id, Account = o.Account, ClientOrderId = o.ClientOrderId, Instrument = o.Instrument, Side = o.Side,
                Type = Hft.Core.Orders.OrderType.Limit, Tif = Hft.Core.Orders.TimeInForce.Gtc, PostOnly = o.PostOnly, Stp = o.Stp,
                CreatedAt = DateTimeOffset.UnixEpoch.AddTicks(o.CreatedMicros * 10), Price = o.Price, Quantity = o.Quantity,
                Filled = o.Filled, Remaining = o.Remaining, Status = o.Filled > 0 ? OrderStatus.PartiallyFilled : OrderStatus.New,
            });
        }
        AdvanceOrderIds(data.NextOrderId);
    }

    /// <summary>A new exchange order id (unique across shards and restarts of one process).</summary>
    public long NextOrderId() => Interlocked.Increment(ref _nextOrderId);

    public MatchingShard ShardOf(int instrument) => _shards[_shardOfInstrument[instrument]];

    /// <summary>Gateways: admits an order command (throttle, then the owning shard's ring).</summary>
    public AdmitResult Submit(in OrderCommand command, IOrderCompletion? completion, long receivedTimestamp, string? clientOrderId = null)
    {
        var result = Admit(in command, completion, receivedTimestamp, clientOrderId);
        if (result != AdmitResult.Accepted)
            foreach (var observer in _admissionObservers) observer.OnRefused(in command, result);
        return result;
    }

    private AdmitResult Admit(in OrderCommand command, IOrderCompletion? completion, long receivedTimestamp, string? clientOrderId)
    {
        if (!_accepting || Journal.Failure is not null) return AdmitResult.Stopping;
        if (!_orderEntry) return AdmitResult.NotLeader;
        if (command.Op is CommandOp.New or CommandOp.Replace && !_throttle.TryAdmit()) return AdmitResult.RateLimited;
        var slot = new PipelineCommand
        {
            Command = command, Completion = completion, ReceivedTimestamp = receivedTimestamp, ClientOrderId = clientOrderId,
        };
        if ((uint)command.Instrument >= (uint)_shardOfInstrument.Length)
            return _shards[0].TryEnqueue(in slot) ? AdmitResult.Accepted : AdmitResult.Overloaded; // the engine rejects it
        return ShardOf(command.Instrument).TryEnqueue(in slot) ? AdmitResult.Accepted : AdmitResult.Overloaded;
    }

    /// <summary>Runs <paramref name="query"/> on a shard thread, in order with its commands.</summary>
    public bool Query(int shard, IShardQuery query)
        => _accepting && _shards[shard].TryEnqueue(new PipelineCommand { Query = query });

    // ---- accounts (admin) ----

    public int DeclareAccount(AccountConfig ac, RiskConfig defaults)
    {
        int id = Accounts.GetOrAdd(ac.Id);
        var account = RiskBook.Account(id);
        lock (account.Sync)
        {
            account.Declared = true;
            account.Enabled = ac.Enabled;
            account.Limits = new AccountLimits
            {
                Credit = ParseLimit(ac.Credit ?? defaults.Credit),
                MaxOrderQty = ParseLimit(ac.MaxOrderQty ?? defaults.MaxOrderQty),
                MaxOrderNotional = ParseLimit(ac.MaxOrderNotional ?? defaults.MaxOrderNotional),
                MaxPosition = ParseLimit(ac.MaxPosition ?? defaults.MaxPosition),
                MaxOpenOrders = ac.MaxOpenOrders ?? defaults.MaxOpenOrders,
                MakerFeeBps = ParseLimit(ac.MakerFeeBps ?? defaults.MakerFeeBps) ?? Amount.Zero,
                TakerFeeBps = ParseLimit(ac.TakerFeeBps ?? defaults.TakerFeeBps) ?? Amount.Zero,
            };
        }
        return id;
    }

    private static Amount? ParseLimit(string? text)
    {
        if (text is null) return null;
        return Amount.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out var a)
            ? a
            : throw new InvalidOperationException($"invalid decimal '{text}'");
    }

    /// <summary>
    /// Kill switch: disable (cancelling every open order on every shard, reason account_disabled) or enable.
    /// Disabling completes <paramref name="completion"/> once per shard (with the cancels); enabling never does.
    /// False when a shard's ring stayed full (its cancels were not queued; the account is disabled all the same).
    /// </summary>
    public bool SetAccountEnabled(int account, bool enabled, IOrderCompletion? completion = null)
    {
        EnsureLeader();
        var risk = RiskBook.Account(account);
        lock (risk.Sync) risk.Enabled = enabled;
        JournalAdmin(new AdminRecord(AdminKind.AccountEnabled, -1, account, enabled ? 1 : 0, null));
        return enabled || CancelAll(account, -1, CancelReason.AccountDisabled, completion);
    }

    /// <summary>
    /// An operator halts or resumes trading in an instrument (journaled). Resuming lifts a reference price feed's halt
    /// too (the operator overrides it; the feed halts again only after it has been fresh and goes stale again).
    /// </summary>
    public void SetHalted(int instrument, bool halted)
    {
        EnsureLeader();
        RiskBook.Instrument(instrument)!.Halted = halted;
        JournalAdmin(new AdminRecord(halted ? AdminKind.Halt : AdminKind.Resume, instrument, -1, 0, null));
    }

    /// <summary>Sets an instrument's mark price in ticks (journaled).</summary>
    public void SetMark(int instrument, long ticks)
    {
        EnsureLeader();
        RiskBook.Instrument(instrument)!.Mark = ticks;
        JournalAdmin(new AdminRecord(AdminKind.Mark, instrument, -1, ticks, null));
    }

    /// <summary>The reference price feed halts or lifts its halt (journaled); an operator's halt stays in force either way.</summary>
    public void SetFeedHalted(int instrument, bool halted)
    {
        EnsureLeader();
        RiskBook.Instrument(instrument)!.FeedHalted = halted;
        JournalAdmin(new AdminRecord(AdminKind.FeedHalt, instrument, -1, halted ? 1 : 0, null));
    }

    /// <summary>The reference price feed widens the band (factor in millionths; 0 = as configured), journaled.</summary>
    public void SetBandWiden(int instrument, long ppm)
    {
        EnsureLeader();
        RiskBook.Instrument(instrument)!.BandWidenPpm = ppm;
        JournalAdmin(new AdminRecord(AdminKind.BandWiden, instrument, -1, ppm, null));
    }

    /// <summary>Replaces an account's limits (journaled); <paramref name="change"/> runs under the account's lock.</summary>
    public AccountLimits SetLimits(int account, Func<AccountLimits, AccountLimits> change)
    {
        EnsureLeader();
        var risk = RiskBook.Account(account);
        AccountLimits limits;
        lock (risk.Sync)
        {
            limits = change(risk.Limits);
            risk.Limits = limits;
        }
        JournalAdmin(new AdminRecord(AdminKind.AccountLimits, -1, account, 0, limits));
        return limits;
    }

    /// <summary>Applies a journaled admin change during recovery (no journaling).</summary>
    internal void ApplyRecovered(in AdminRecord r)
    {
        switch (r.Kind)
        {
            case AdminKind.Halt or AdminKind.Resume:
                if (RiskBook.Instrument(r.Instrument) is { } hi) hi.Halted = r.Kind == AdminKind.Halt;
                break;
            case AdminKind.Mark:
                if (RiskBook.Instrument(r.Instrument) is { } mi) mi.Mark = r.Value;
                break;
            case AdminKind.FeedHalt:
                if (RiskBook.Instrument(r.Instrument) is { } fi) fi.FeedHalted = r.Value != 0;
                break;
            case AdminKind.BandWiden:
                if (RiskBook.Instrument(r.Instrument) is { } wi) wi.BandWidenPpm = r.Value;
                break;
            case AdminKind.AccountEnabled:
                RiskBook.Account(r.Account).Enabled = r.Value != 0;
                break;
            case AdminKind.AccountLimits:
                RiskBook.Account(r.Account).Limits = r.Limits!;
                break;
        }
    }

    /// <summary>Writes an operator's change to the journal and waits until it is durable (operator actions are rare).</summary>
    private void JournalAdmin(in AdminRecord record)
    {
        Span<byte> payload = stackalloc byte[AdminRecord.MaxSize];
        int n = record.Write(payload);
        var durable = new DurableSignal();
        Journal.Append(RecordType.Admin, payload[..n], durable);
        if (!durable.Wait(TimeSpan.FromSeconds(10)))
            throw new IOException("the journal did not make an operator action durable within 10 s");
    }

    private sealed class DurableSignal : IDurableCallback
    {
        private readonly ManualResetEventSlim _done = new(false);
        private long _sequence;

        public void OnDurable(long sequence)
        {
            _sequence = sequence;
            _done.Set();
        }

        public bool Wait(TimeSpan timeout) => _done.Wait(timeout) && _sequence >= 0;
    }

    /// <summary>
    /// Cancels every open order of an account (one instrument or all) on every shard that may hold them. Operator and
    /// kill-switch actions must not be lost to a momentarily full ring: each enqueue is retried for up to a second.
    /// </summary>
    public bool CancelAll(int account, int instrument, CancelReason reason, IOrderCompletion? completion = null)
    {
        EnsureLeader();
        var cmd = OrderCommand.MassCancel(account, instrument, reason);
        bool all = true;
        foreach (var shard in _shards)
        {
            if (instrument >= 0 && shard != ShardOf(instrument)) continue;
            var slot = new PipelineCommand { Command = cmd, Completion = completion, ReceivedTimestamp = Stopwatch.GetTimestamp() };
            var waited = Stopwatch.StartNew();
            bool queued;
            while (!(queued = shard.TryEnqueue(in slot)) && waited.ElapsedMilliseconds < 1000) Thread.Sleep(1);
            all &= queued;
        }
        return all;
    }
}
