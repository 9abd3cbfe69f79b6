using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace Hft.Replication;

/// <summary>What a node does with each committed batch of journal records (the server applies them to its journal and shards).</summary>
public interface IReplicatedLogApplier
{
    /// <summary>
    /// One committed log entry: journal records in the on-disk format, in log order. Records this node already holds
    /// (its own, or seen before a restart) must be skipped by sequence. Throwing stops the node's replication.
    /// </summary>
    void Apply(ReadOnlySpan<byte> records);
}

/// <summary>
/// The Raft state machine of a node: hands every committed entry to the <see cref="IReplicatedLogApplier"/>. The state
/// itself lives in the journal and the shards, not here: Raft snapshots are never taken, so the Raft log keeps
/// every entry (docs/ARCHITECTURE.md, "Replication", lists this limit) and a restarted node re-reads it from the start,
/// skipping by sequence what its own journal already recovered.
/// </summary>
internal sealed class JournalStateMachine(DirectoryInfo location, IReplicatedLogApplier applier) : SimpleStateMachine(location)
{
    private long _entries;

    /// <summary>Committed entries that carried records (a new leader's empty entry and membership entries do not).</summary>
    public long EntriesApplied => Interlocked.Read(ref _entries);

    /// <summary>Told on the apply thread, before an entry is applied, that it is committed (the leader's journal releases its batches then).</summary>
    public Action? Committed { get; set; }

    protected override async ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        Committed?.Invoke();
        if (entry.IsConfiguration || entry.IsSnapshot || entry.Length is 0 or null) return false;
        byte[] records = await entry.ToByteArrayAsync(token: token);
        applier.Apply(records);
        Interlocked.Increment(ref _entries);
        return false;
    }

    protected override ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token) => ValueTask.CompletedTask;

    protected override ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token) => ValueTask.CompletedTask;
}
