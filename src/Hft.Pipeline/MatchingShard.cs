using System.Diagnostics;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Journal;
using Hft.Risk;

namespace Hft.Pipeline;

/// <summary>
/// One matching shard: a single-writer thread that owns the books of its symbols and a risk stage over the shared
/// <see cref="RiskBook"/>. It takes commands from its <see cref="CommandRing"/> in order and, for each:
/// validates it, checks pre-trade risk and matches it while holding the account's lock (so limits hold exactly
/// across shards), settles every other affected account under that account's lock, then tells the gateway and the
/// observers. Nothing else reads or writes its books; queries run on this thread too.
/// </summary>
public sealed class MatchingShard
{
    private readonly CommandRing _ring;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly IPipelineObserver[] _observers;
    private readonly int[] _otherAccounts = new int[64];
    private readonly int _cpu;
    private Thread? _thread;
    private volatile bool _stopping;
    private int _sleeping;
    private long _processed;
    private JournalWriter? _journal;
    private readonly byte[] _payload = new byte[CommandCodec.MaxSize];
    private IPipelineObserver[] _replicaObservers = [];

    /// <summary>SpinWait iterations (the later ones yield) before the shard thread parks on its wake event.</summary>
    public static int SpinsBeforePark { get; set; } = Environment.ProcessorCount > 4 ? 200 : 30;

    public MatchingShard(int index, int queueSize, MatchingEngine engine, RiskStage risk, IPipelineObserver[] observers, int cpu,
        JournalWriter? journal = null)
    {
        _journal = journal;
        Index = index;
        Engine = engine;
        Risk = risk;
        _ring = new CommandRing(queueSize);
        _observers = observers;
        _cpu = cpu;
    }

    public int Index { get; }

    /// <summary>Before <see cref="Start"/>: from now on commands that change state are journaled before their ack.</summary>
    internal void AttachJournal(JournalWriter journal) => _journal = journal;

    /// <summary>Replicated mode: who sees the commands this shard re-applies from the log (client-visible state and market data, not latency metrics).</summary>
    internal void AttachReplicaObservers(IPipelineObserver[] observers) => _replicaObservers = observers;

    /// <summary>The shard's books. Only the shard thread may touch them (queries run there).</summary>
    public MatchingEngine Engine { get; }

    public RiskStage Risk { get; }

    public int QueueDepth => _ring.Depth;

    public int QueueCapacity => _ring.Capacity;

    public long Processed => Interlocked.Read(ref _processed);

    public bool IsRunning => _thread is { IsAlive: true } && !_stopping;

    [ThreadStatic]
    private static MatchingShard? t_current;

    /// <summary>
    /// The shard whose thread is calling (null elsewhere). Observers use it with <see cref="Processed"/>: a command
    /// seen at <c>Processed == p</c> has been handed to the journal once <c>Processed &gt; p</c>.
    /// </summary>
    public static MatchingShard? Current => t_current;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"hft-shard-{Index}", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Gateway threads: enqueue; false when the ring is full (reject as overloaded) or the shard is stopping.</summary>
    public bool TryEnqueue(in PipelineCommand command)
    {
        if (_stopping || !_ring.TryWrite(in command)) return false;
        // Full fence: the publish above must be visible before we read the consumer's "sleeping" flag (x86 may
        // otherwise reorder this load before the store, and the consumer would sleep through our command).
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0) _wake.Set();
        return true;
    }

    /// <summary>Stops after everything already enqueued has been processed; waits up to <paramref name="timeout"/>.</summary>
    public bool StopAndDrain(TimeSpan timeout)
    {
        _stopping = true;
        _wake.Set();
        return _thread?.Join(timeout) ?? true;
    }

    private void Run()
    {
        t_current = this;
        if (_cpu >= 0) CpuAffinity.TryPinCurrentThread(_cpu);
        var spinner = new SpinWait();
        while (true)
        {
            if (_ring.TryPeek(out int index))
            {
                Process(ref _ring.Slot(index));
                _ring.Release(index);
                Interlocked.Increment(ref _processed);
                spinner.Reset();
                continue;
            }
            if (_stopping) return; // ring drained
            // Spin only briefly before parking: on a small machine a spinning shard takes the CPU the gateway needs.
            if (spinner.Count < SpinsBeforePark)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            // Park: announce, re-check (a producer may have published meanwhile), then sleep until woken.
            Interlocked.Exchange(ref _sleeping, 1);
            if (!_ring.TryPeek(out _) && !_stopping) _wake.Wait(50);
            Interlocked.Exchange(ref _sleeping, 0);
            _wake.Reset();
            spinner.Reset();
        }
    }

    private void Process(ref PipelineCommand slot)
    {
        if (slot.Query is { } query)
        {
            query.Run(this);
            return;
        }
        if (slot.Replicated)
        {
            Replay(in slot.Command, _replicaObservers);
            return;
        }
        var ts = new StageTimestamps { Received = slot.ReceivedTimestamp, Dequeued = Stopwatch.GetTimestamp() };
        var cmd = slot.Command;
        ReadOnlySpan<EngineEvent> events;
        var account = Risk.FindAccount(cmd.Account);
        if (account is null)
        {
            // Unknown to risk: nothing of an account to protect; risk rejects new orders, the engine the rest.
            Risk.PreTrade(Engine, ref cmd);
            ts.Risked = Stopwatch.GetTimestamp();
            events = Engine.Process(in cmd);
            ts.Matched = Stopwatch.GetTimestamp();
            Settle(events, -1);
        }
        else
        {
            lock (account.Sync)
            {
                Risk.PreTrade(Engine, ref cmd);
                ts.Risked = Stopwatch.GetTimestamp();
                events = Engine.Process(in cmd);
                ts.Matched = Stopwatch.GetTimestamp();
                Risk.Apply(events, cmd.Account);
            }
            Settle(events, cmd.Account);
        }
        // The acknowledgment is decided here; observers (order directory, trade tape, metrics, market data) see it
        // before the gateway is told, so a client that reads back its order finds it up to date.
        ts.Acked = Stopwatch.GetTimestamp();
        foreach (var observer in _observers) observer.OnProcessed(Index, in cmd, events, in ts);
        Journal(ref slot, in cmd, events);
    }

    /// <summary>
    /// A command that changed state is appended to the write-ahead journal as decided (risk's verdict and a market
    /// order's band protection included); its acknowledgment waits until the journal has made it durable. A command
    /// that changed nothing (a rejection) is acknowledged at once.
    /// </summary>
    private void Journal(ref PipelineCommand slot, in OrderCommand cmd, ReadOnlySpan<EngineEvent> events)
    {
        if (_journal is null || !ChangesState(events))
        {
            slot.Completion?.Complete(in cmd, events, awaitingDurability: false);
            return;
        }
        slot.Completion?.Complete(in cmd, events, awaitingDurability: true);
        int length = CommandCodec.Write(_payload, in cmd, Index, slot.ClientOrderId);
        try
        {
            _journal.Append(RecordType.Command, _payload.AsSpan(0, length), slot.Completion);
        }
        catch (IOException)
        {
            slot.Completion?.OnDurable(-1); // the journal has failed: not durable, never acknowledged
        }
    }

    private static bool ChangesState(ReadOnlySpan<EngineEvent> events)
    {
        foreach (ref readonly var e in events)
            if (e.Kind != EventKind.Rejected) return true;
        return false;
    }

    /// <summary>
    /// Recovery only, before the shard thread starts: re-applies a journaled command exactly as it was decided
    /// (no risk check — its verdict is in the record), settling every account.
    /// </summary>
    /// <param name="cmd">The command as journaled.</param>
    /// <param name="observers">Who keeps client-visible state (order directory, trade tape); metrics are not fed.</param>
    internal void Replay(in OrderCommand cmd, IPipelineObserver[] observers)
    {
        var events = Engine.Process(in cmd);
        Risk.Apply(events);
        var ts = default(StageTimestamps);
        foreach (var observer in observers) observer.OnProcessed(Index, in cmd, events, in ts);
    }

    /// <summary>Applies the events to every account they touch other than <paramref name="done"/>, each under its own lock.</summary>
    private void Settle(ReadOnlySpan<EngineEvent> events, int done)
    {
        int n = 0;
        foreach (ref readonly var e in events)
        {
            if (e.Kind == EventKind.Trade) Note(e.MakerAccount, done, ref n);
            if (e.Kind is EventKind.Trade or EventKind.Canceled or EventKind.Replaced or EventKind.Accepted) Note(e.Account, done, ref n);
        }
        for (int i = 0; i < n; i++)
        {
            var account = Risk.Account(_otherAccounts[i]);
            lock (account.Sync) Risk.Apply(events, account.Id);
        }
    }

    private void Note(int account, int done, ref int n)
    {
        if (account == done) return;
        for (int i = 0; i < n; i++)
            if (_otherAccounts[i] == account) return;
        if (n < _otherAccounts.Length) _otherAccounts[n++] = account;
    }
}
