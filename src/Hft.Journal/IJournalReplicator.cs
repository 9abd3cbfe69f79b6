namespace Hft.Journal;

/// <summary>
/// The replicated log a leader's <see cref="JournalWriter"/> hands its batches to (Hft.Replication implements it
/// over Raft). The journal thread appends batches without waiting for their commit, up to its in-flight window
/// (<c>[replication] max_in_flight</c>), and releases each one, in log order, once <see cref="CommittedTicket"/> has
/// passed its ticket.
/// </summary>
public interface IJournalReplicator
{
    /// <summary><c>[replication] ack = leader</c>: acknowledge once the leader's own log holds the batch, not on commit.</summary>
    bool AcknowledgeOnAppend { get; }

    /// <summary>
    /// Journal thread: appends one batch (records in the on-disk format) to the leader's log as one entry and starts
    /// sending it to the followers; does not wait for the commit. A ticket (increasing), or -1 when this node is not the leader.
    /// <paramref name="nothingInFlight"/>: every earlier ticket has been released (committed and written), so a node
    /// elected again after losing leadership may start issuing tickets of its new leadership.
    /// </summary>
    long Append(ReadOnlySpan<byte> records, bool nothingInFlight);

    /// <summary>
    /// The highest ticket committed under the leadership the tickets were issued in; -1 once that leadership is lost
    /// or the log failed (no ticket still in flight may then be taken as committed).
    /// </summary>
    long CommittedTicket { get; }

    /// <summary>
    /// Called (on any thread, must be quick) whenever <see cref="CommittedTicket"/> may have moved, including to -1.
    /// Set by the journal before its first append.
    /// </summary>
    Action? Progress { set; }
}

/// <summary>A batch could not be replicated: this node is not (or no longer) the leader. The journal stops.</summary>
public sealed class ReplicationLostException(string message) : IOException(message);
