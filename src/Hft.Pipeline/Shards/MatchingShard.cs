using System.Diagnostics;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Journal;

namespace Hft.Pipeline.Shards;

/// <summary>
/// One matching shard: the books of its symbols and a <see cref="CommandStep"/> over the shared risk book, fed by a
/// bounded ring. Exactly one thread processes it at a time - its own thread, or a gateway thread that submitted commands
/// and runs them to completion (<see cref="RunInline"/>) so that no hand-off to another thread sits on the order path.
/// For each command, in this order: decide (risk → match → settle), append the decided record to the journal, tell the
/// observers (publishers) and the submitter with the record's sequence; after each burst the journal is flushed, which
/// moves the durable sequence that releases the replies from the outbox. Queries run on the shard's own thread only.
/// </summary>
public sealed class MatchingShard
{
    /// <summary>Commands one gateway thread processes before leaving the rest to the shard's own thread.</summary>
    private const int InlineBudget = 256;

    private const int ThreadBurst = 1024;

    private readonly CommandRing _ring;
    private readonly CommandStep _step;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly IPipelineObserver[] _observers;
    private readonly INewOrderObserver[] _orderKeepers; // the observers that keep every order, told of each new one first
    private readonly IdleStrategy _idle;
    private readonly int _cpu;
    private readonly CpuPinning _pinning;
    private readonly byte[] _payload = new byte[CommandCodec.MaxSize];
    private IPipelineObserver[] _replicaObservers = [];
    private JournalWriter? _journal;
    private Thread? _thread;
    private volatile bool _stopping;
    private int _sleeping;
    private int _processing; // 1 while a thread processes this shard
    private long _processed;

    public MatchingShard(int index, int queueSize, CommandStep step, IPipelineObserver[] observers, IdleStrategy idle, int cpu, CpuPinning? pinning = null)
    {
        Index = index;
        _step = step;
        _ring = new CommandRing(queueSize);
        _observers = observers;
        _orderKeepers = [.. observers.OfType<INewOrderObserver>()];
        _idle = idle;
        _cpu = cpu;
        _pinning = pinning ?? new CpuPinning();
    }

    public int Index { get; }

    /// <summary>The shard's books. Only the processing thread may touch them (queries run on the shard's thread).</summary>
    public MatchingEngine Engine => _step.Engine;

    public Hft.Risk.RiskStage Risk => _step.Risk;

    /// <summary>The one step every command of this shard takes (recovery applies journaled commands with it).</summary>
    public CommandStep Step => _step;

    public int QueueDepth => _ring.Depth;

    public int QueueCapacity => _ring.Capacity;

    /// <summary>Commands processed so far.</summary>
    public long Processed => Volatile.Read(ref _processed);

    public bool IsRunning => _thread is { IsAlive: true } && !_stopping;

    /// <summary>Before <see cref="Start"/>: commands that change state are journaled from now on.</summary>
    internal void AttachJournal(JournalWriter journal) => _journal = journal;

    /// <summary>Replicated mode: who sees the commands this shard applies from the log (client-visible state and market data, not latency metrics).</summary>
    internal void AttachReplicaObservers(IPipelineObserver[] observers) => _replicaObservers = observers;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"hft-shard-{Index}", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>
    /// Enqueues a command; false when the ring is full (reject as overloaded) or the shard is stopping. With
    /// <paramref name="wake"/> false the caller promises to call <see cref="RunInline"/> next (the shard's thread is not
    /// woken for it).
    /// </summary>
    public bool TryEnqueue(in PipelineCommand command, bool wake = true)
    {
        if (_stopping || !_ring.TryWrite(in command)) return false;
        if (wake) Wake();
        return true;
    }

    /// <summary>Wakes the shard's thread if it parked.</summary>
    internal void Wake()
    {
        // Full fence: the publish must be visible before we read the thread's "sleeping" flag (x86 may otherwise
        // reorder this load before the store, and the thread would sleep through our command).
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0) _wake.Set();
    }

    /// <summary>
    /// Run to completion: processes what is queued on the calling thread - the caller's own commands among them - and
    /// flushes the journal, unless another thread is processing this shard right now (it then takes them along: it looks
    /// at the ring again after letting go). Leaves a query, or more than a budget of commands, to the shard's thread.
    /// </summary>
    public void RunInline()
    {
        while (_ring.TryPeek(out _))
        {
            if (Interlocked.CompareExchange(ref _processing, 1, 0) != 0) return;
            int n;
            bool more;
            try
            {
                n = Drain(InlineBudget, ownThread: false, out more);
            }
            finally
            {
                Interlocked.Exchange(ref _processing, 0); // a full fence: the ring is looked at again after this
            }
            if (more || n == 0)
            {
                Wake(); // a query at the head, or a long queue: the shard's thread goes on
                return;
            }
        }
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
        if (_cpu >= 0) _pinning.PinCurrentThread(Index, _cpu);
        int idle = 0;
        while (true)
        {
            if (_ring.TryPeek(out _) && Interlocked.CompareExchange(ref _processing, 1, 0) == 0)
            {
                int n;
                try
                {
                    n = Drain(ThreadBurst, ownThread: true, out _);
                }
                finally
                {
                    Interlocked.Exchange(ref _processing, 0);
                }
                if (n > 0)
                {
                    idle = 0;
                    continue;
                }
            }
            if (_stopping && !_ring.TryPeek(out _) && Volatile.Read(ref _processing) == 0) return; // drained
            if (!_idle.Idle(ref idle)) continue;
            // Park: announce, re-check (a producer may have published meanwhile), then sleep until woken.
            Interlocked.Exchange(ref _sleeping, 1);
            if (!_ring.TryPeek(out _) && !_stopping) _wake.Wait(50);
            Interlocked.Exchange(ref _sleeping, 0);
            _wake.Reset();
            idle = 0;
        }
    }

    /// <summary>
    /// Processes up to <paramref name="max"/> queued commands (the caller holds the shard), then flushes the journal.
    /// <paramref name="more"/>: work was left (budget reached, or a query waits for the shard's own thread).
    /// </summary>
    private int Drain(int max, bool ownThread, out bool more)
    {
        int n = 0;
        more = false;
        while (_ring.TryPeek(out int index))
        {
            if (n == max)
            {
                more = true;
                break;
            }
            ref var slot = ref _ring.Slot(index);
            if (slot.Query is { } query)
            {
                if (!ownThread)
                {
                    more = true;
                    break;
                }
                _journal?.Flush(); // what the query sees is durable (a pause for a snapshot or state hash relies on it)
                query.Run(this);
            }
            else if (slot.ReplicatedSequence > 0) Apply(ref slot);
            else Decide(ref slot);
            _ring.Release(index);
            Volatile.Write(ref _processed, _processed + 1);
            n++;
        }
        if (n > 0) _journal?.Flush();
        return n;
    }

    private void Decide(ref PipelineCommand slot)
    {
        var ts = new StageTimestamps { Received = slot.ReceivedTimestamp };
        if (ts.Received != 0) ts.Dequeued = Stopwatch.GetTimestamp();
        var cmd = slot.Command;
        var events = _step.Decide(ref cmd, ref ts);
        long sequence = Journal(in cmd, events, slot.ClientOrderId);
        if (cmd.Op == CommandOp.New)
            foreach (var keeper in _orderKeepers) keeper.OnNewOrder(in cmd, slot.ClientOrderId);
        foreach (var observer in _observers) observer.OnProcessed(Index, in cmd, events, sequence, in ts);
        slot.Reply?.OnDecided(in cmd, events, sequence);
    }

    private void Apply(ref PipelineCommand slot)
    {
        var events = _step.ApplyDecided(in slot.Command);
        var ts = default(StageTimestamps);
        foreach (var observer in _replicaObservers) observer.OnProcessed(Index, in slot.Command, events, slot.ReplicatedSequence, in ts);
    }

    /// <summary>
    /// A command that changed state is appended to the write-ahead journal as decided (risk's verdict and a market
    /// order's band protection included): its sequence, which its replies wait for. A rejection changed nothing: 0.
    /// -1 when the journal has failed (the command is in memory but can never be acknowledged).
    /// </summary>
    private long Journal(in OrderCommand cmd, ReadOnlySpan<EngineEvent> events, string? clientOrderId)
    {
        if (_journal is null || !ChangesState(events)) return 0;
        int length = CommandCodec.Write(_payload, in cmd, Index, clientOrderId);
        try
        {
            return _journal.Append(RecordType.Command, _payload.AsSpan(0, length));
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static bool ChangesState(ReadOnlySpan<EngineEvent> events)
    {
        foreach (ref readonly var e in events)
            if (e.Kind != EventKind.Rejected) return true;
        return false;
    }
}
