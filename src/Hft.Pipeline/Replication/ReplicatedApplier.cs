using Hft.Core.Matching;
using Hft.Journal;
using Hft.Pipeline.Admin;
using Hft.Pipeline.State;
using Hft.Replication;

namespace Hft.Pipeline.Replication;

/// <summary>
/// Applies committed journal records on every node of a group, in log order: each record the node does not hold yet
/// is appended to its own journal with the leader's sequence and timestamp, then re-applied as recovery would
/// (operator records at once, commands through the owning shard's ring, so the shard thread stays the only writer of
/// its books). Records the node already holds — its own as leader, or what its journal recovered before a restart —
/// are skipped by sequence. Called on the Raft apply thread only.
/// The Raft log is compacted behind this node's journal snapshots (<see cref="IReplicatedStateSnapshots"/>): the newest
/// one is offered as the group's snapshot, one is taken when the log asks, and a snapshot from the group is installed
/// when the journal is behind it: in place on a node that holds nothing yet, else by rebasing the journal onto it and
/// restarting (<paramref name="onRebased"/>, once the leader has learned of the install), so that recovery rebuilds
/// the state from it.
/// </summary>
public sealed class ReplicatedApplier(TradingPipeline pipeline, OrderDirectory? directory, Action<long> onDiverged, Action<string>? onRebased = null)
    : IReplicatedLogApplier, IReplicatedStateSnapshots
{
    private volatile bool _diverged;
    private int _snapshotting;
    private long _installed;

    // The newest snapshot recovery found: committed state (a replicated node's journal holds committed records only).
    private readonly (long, string)? _recovered = SnapshotStore.List(pipeline.Config.Journal.Dir) is [.., var last] ? (last.Sequence, last.Path) : null;

    /// <summary>Snapshots of the group's state installed into this node (its journal was behind them).</summary>
    public long SnapshotsInstalled => Interlocked.Read(ref _installed);

    /// <summary>Why the last snapshot the Raft log asked for failed (null when none did).</summary>
    public string? LastSnapshotError { get; private set; }

    private long _applied;
    private long _skipped;

    /// <summary>Records appended and applied here from the log.</summary>
    public long RecordsApplied => Interlocked.Read(ref _applied);

    /// <summary>Records of committed entries this node already held.</summary>
    public long RecordsSkipped => Interlocked.Read(ref _skipped);

    /// <summary>Set once a committed record differed from the one this node holds at that sequence: nothing more is applied.</summary>
    public bool Diverged => _diverged;

    /// <summary>This node's state is no longer the group's (it will restart): apply nothing more.</summary>
    public void Stop() => _diverged = true;

    public void Apply(ReadOnlySpan<byte> records)
    {
        if (_diverged)
        {
            RequestRestart(); // an entry after a snapshot this node rebased onto: the leader knows it was installed
            return;
        }
        lock (pipeline.ApplyGate)
        {
            if (JournalReader.ReadBatch(records, ApplyRecord) is { } problem)
                throw new JournalCorruptException("replicated log entry", 0, problem);
        }
    }

    /// <summary>This process's last snapshot, else the newest one recovery found.</summary>
    public (long Sequence, string Path)? NewestSnapshot
        => pipeline.Snapshots.Last is { } last && (_recovered is not { } r || last.Sequence >= r.Item1) ? (last.Sequence, last.Path) : _recovered;

    /// <summary>One snapshot at a time, on the thread pool: a leader's snapshot waits for its journal, which waits for the log.</summary>
    public void RequestSnapshot()
    {
        if (_diverged || Interlocked.Exchange(ref _snapshotting, 1) != 0) return;
        _ = Task.Run(() =>
        {
            try
            {
                pipeline.Snapshots.Take(TimeSpan.FromSeconds(30));
                LastSnapshotError = null;
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or UnauthorizedAccessException)
            {
                LastSnapshotError = e.Message;
            }
            finally
            {
                Volatile.Write(ref _snapshotting, 0);
            }
        });
    }

    public void Install(long sequence, byte[] snapshotFile)
    {
        string? restart = null;
        lock (pipeline.ApplyGate)
        {
            var journal = pipeline.Journal;
            if (journal.NextSequence - 1 >= sequence || _diverged) return; // held already
            string name = $"the group's snapshot at sequence {sequence}";
            var data = SnapshotFormat.Decode(snapshotFile, name);
            if (journal.NextSequence == 1)
            {
                pipeline.Snapshots.InstallIntoEmpty(data, name, TimeSpan.FromSeconds(30));
                Interlocked.Increment(ref _installed);
                return;
            }
            // A node with state of its own cannot drop it in place: its journal is rebased onto the snapshot (the
            // segments it supersedes are deleted) and it restarts, so that recovery rebuilds the state from it.
            _diverged = true;
            pipeline.MarkDiverged();
            journal.Dispose();
            var removed = SnapshotStore.Rebase(pipeline.Config.Journal.Dir, data);
            Interlocked.Increment(ref _installed);
            restart = $"journal at sequence {journal.WrittenSequence} was behind {name}: rebased onto it ({removed.Count} superseded "
                + "segment(s) deleted); restarting to recover from it";
        }
        if (onRebased is null) throw new InvalidOperationException(restart);
        // The restart waits until the leader has learned that this member holds the snapshot: a member that went away
        // before its answer left would be sent the same snapshot again after its restart, which the Raft library refuses
        // as one it holds already - and the leader would send it again, round after round, until it took a newer one.
        // The leader sends the entries after the snapshot only once it has the answer (Apply requests the restart);
        // without new entries, the grace period is ample for an answer written right after this call returns.
        Volatile.Write(ref _pendingRestart, restart);
        _ = Task.Delay(RestartGrace).ContinueWith(_ => RequestRestart(), TaskScheduler.Default);
    }

    /// <summary>The longest a node rebased onto the group's snapshot waits for the leader to move past it before restarting.</summary>
    public static readonly TimeSpan RestartGrace = TimeSpan.FromSeconds(2);

    private string? _pendingRestart;
    private int _restartRequested;

    /// <summary>Once: asks for the restart a rebase needs, off the Raft apply thread (in production the process exits there).</summary>
    private void RequestRestart()
    {
        if (Volatile.Read(ref _pendingRestart) is not { } reason || Interlocked.Exchange(ref _restartRequested, 1) != 0) return;
        ThreadPool.QueueUserWorkItem(_ => onRebased!(reason));
    }

    private void ApplyRecord(in JournalRecord r)
    {
        var journal = pipeline.Journal;
        if (_diverged) return;
        if (r.Sequence < journal.NextSequence)
        {
            // Held already - it must be the same record. A different one means this node applied a record the group never
            // committed (e.g. a deposed leader's own tail): its state is not the group's any more.
            if (!journal.HoldsSame(r.Sequence, r.Crc))
            {
                _diverged = true;
                onDiverged(r.Sequence);
                return;
            }
            Interlocked.Increment(ref _skipped);
            return;
        }
        if (r.Type == RecordType.Admin)
        {
            if (!AdminRecord.TryRead(r.Payload, out var admin)) throw new JournalCorruptException("replicated log", r.Sequence, "unreadable admin record");
            journal.AppendReplicated(r.Sequence, r.TimestampMicros, r.Type, r.Payload);
            AdminStep.Apply(pipeline.RiskBook, in admin);
        }
        else
        {
            if (!CommandCodec.TryRead(r.Payload, out var cmd, out _, out var clientOrderId))
                throw new JournalCorruptException("replicated log", r.Sequence, "unreadable command record");
            journal.AppendReplicated(r.Sequence, r.TimestampMicros, r.Type, r.Payload);
            if (cmd.Op == CommandOp.New)
            {
                pipeline.AdvanceOrderIds(cmd.OrderId);
                directory?.RegisterJournaled(in cmd, clientOrderId, r.TimestampMicros);
            }
            // A mass cancel of every instrument was journaled once per shard; cancelling is idempotent (as in recovery).
            pipeline.EnqueueReplicated(in cmd, r.Sequence);
        }
        Interlocked.Increment(ref _applied);
    }
}
