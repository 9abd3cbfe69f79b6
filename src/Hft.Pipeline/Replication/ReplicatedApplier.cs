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
/// </summary>
public sealed class ReplicatedApplier(TradingPipeline pipeline, OrderDirectory? directory, Action<long> onDiverged) : IReplicatedLogApplier
{
    private volatile bool _diverged;

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
        if (_diverged) return;
        lock (pipeline.ApplyGate)
        {
            if (JournalReader.ReadBatch(records, ApplyRecord) is { } problem)
                throw new JournalCorruptException("replicated log entry", 0, problem);
        }
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
