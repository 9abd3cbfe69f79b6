namespace Hft.Journal;

/// <summary>
/// The replicated log a leader's <see cref="JournalWriter"/> hands its batches to (Hft.Replication implements it
/// over Raft). Called on the journal thread only, one batch at a time; both calls may block.
/// </summary>
public interface IJournalReplicator
{
    /// <summary><c>[replication] ack = leader</c>: acknowledge once the leader's own log holds the batch, not on commit.</summary>
    bool AcknowledgeOnAppend { get; }

    /// <summary>Appends one batch (records in the on-disk format) to the leader's log; a ticket, or -1 when this node is not the leader.</summary>
    long Append(ReadOnlySpan<byte> records);

    /// <summary>Waits until the batch is committed by a majority; false when leadership was lost or the log failed.</summary>
    bool WaitCommitted(long ticket);
}

/// <summary>A batch could not be replicated: this node is not (or no longer) the leader. The journal stops.</summary>
public sealed class ReplicationLostException(string message) : IOException(message);
