using System.Buffers.Binary;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Hft.Journal;

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
/// A node whose state the Raft log can be compacted behind (an <see cref="IReplicatedLogApplier"/> that also implements
/// this): its journal's own state snapshots (<see cref="SnapshotFormat"/> files) become the group's Raft snapshots.
/// Without it the log is never compacted.
/// </summary>
public interface IReplicatedStateSnapshots
{
    /// <summary>
    /// The newest state snapshot file this node has written of committed records only (its journal sequence and path),
    /// or null when there is none. Read on the Raft apply thread: must be quick.
    /// </summary>
    (long Sequence, string Path)? NewestSnapshot { get; }

    /// <summary>
    /// The Raft log has grown by the snapshot interval since its last snapshot: write a state snapshot soon, on another
    /// thread (called on the Raft apply thread, which a snapshot may have to wait for: never block here).
    /// </summary>
    void RequestSnapshot();

    /// <summary>
    /// Makes this node's state the group's state at <paramref name="sequence"/> (a whole <see cref="SnapshotFormat"/>
    /// file, checked): its journal is rebased onto the snapshot and its shards restored, unless its journal already
    /// holds that sequence (then nothing changes). Called before any entry after the snapshot is applied: when a member
    /// starts from its Raft snapshot, and when the leader sends one to a member too far behind its log.
    /// </summary>
    void Install(long sequence, byte[] snapshotFile);
}

/// <summary>
/// The Raft state machine of a node: hands every committed entry to the <see cref="IReplicatedLogApplier"/>, and keeps the
/// Raft log bounded by snapshots tied to the journal's. The state lives in the journal and the shards; a Raft snapshot
/// is a small header (log index, term) followed by one of the node's own journal state snapshot files, so there is one
/// snapshot format. Policy (<c>[replication] snapshot_entries</c>): once that many entries were applied since the last
/// Raft snapshot, the node is asked for a state snapshot (<see cref="IReplicatedStateSnapshots.RequestSnapshot"/>, off
/// this thread); its periodic ones count as well. A state snapshot at journal sequence S becomes the Raft snapshot at
/// the last applied entry whose records all lie at or before S (S covers that entry whole, and possibly the start of
/// the next one, which was committed, so a member restoring it skips those records by sequence). DotNext then drops the
/// log up to that index and sends the snapshot to a member whose next entry the log no longer holds. A restarting
/// member re-applies only the entries after its snapshot.
/// </summary>
internal sealed class JournalStateMachine : IStateMachine, IAsyncDisposable
{
    private const string Suffix = ".raftsnap";
    private const int MaxTracked = 1 << 20;

    private readonly DirectoryInfo _location;
    private readonly IReplicatedLogApplier _applier;
    private readonly IReplicatedStateSnapshots? _snapshots;
    private readonly long _snapshotEntries;
    private readonly object _gate = new();
    private readonly Queue<(long Index, long Term, long LastSequence)> _tracked = new(); // apply thread only
    private volatile RaftSnapshot? _snapshot;
    private Task _building = Task.CompletedTask; // apply thread only
    private long _lastSequence, _sinceSnapshot, _requestedAt;
    private long _entries, _taken, _installed, _restoredIndex;

    /// <param name="snapshotEntries">Entries between Raft snapshots; 0: never compact (also when the applier cannot snapshot).</param>
    public JournalStateMachine(DirectoryInfo location, IReplicatedLogApplier applier, long snapshotEntries)
    {
        location.Create();
        _location = location;
        _applier = applier;
        _snapshots = snapshotEntries > 0 ? applier as IReplicatedStateSnapshots : null;
        _snapshotEntries = snapshotEntries;
    }

    /// <summary>Committed entries that carried records (a new leader's empty entry and membership entries do not).</summary>
    public long EntriesApplied => Interlocked.Read(ref _entries);

    /// <summary>Told on the apply thread, before an entry is applied, that it is committed (the leader's journal releases its batches then).</summary>
    public Action? Committed { get; set; }

    /// <summary>Raft snapshots this member made from its state snapshots, and ones the leader sent it.</summary>
    public long SnapshotsTaken => Interlocked.Read(ref _taken);

    public long SnapshotsInstalled => Interlocked.Read(ref _installed);

    /// <summary>The log index of the Raft snapshot this member started from (0: none, the log was read from its start).</summary>
    public long RestoredIndex => Interlocked.Read(ref _restoredIndex);

    /// <summary>The log index and journal sequence of the current Raft snapshot (0, 0 without one).</summary>
    public (long Index, long Sequence) Current => _snapshot is { } s ? (s.Index, s.Sequence) : (0, 0);

    /// <summary>Why the last attempt to turn a state snapshot into a Raft snapshot failed (null when none did).</summary>
    public string? LastSnapshotError { get; private set; }

    ISnapshot? ISnapshotManager.Snapshot => _snapshot;

    /// <summary>
    /// Before the log opens: loads the newest valid Raft snapshot here (the log starts after its index) and has the node
    /// install it, which changes nothing when the node's journal holds its sequence already.
    /// </summary>
    public ValueTask RestoreAsync(CancellationToken token)
    {
        foreach (var file in _location.EnumerateFiles("*" + Suffix).OrderByDescending(f => f.Name, StringComparer.Ordinal))
        {
            token.ThrowIfCancellationRequested();
            byte[] bytes = File.ReadAllBytes(file.FullName);
            if (RaftSnapshot.Check(bytes, out long index, out long term, out long sequence) is not null) continue; // a torn one: an older one may do
            _snapshot = new RaftSnapshot(file, index, term, sequence);
            _lastSequence = sequence;
            _snapshots?.Install(sequence, bytes[RaftSnapshot.HeaderSize..]);
            _restoredIndex = index;
            break;
        }
        return ValueTask.CompletedTask;
    }

    async ValueTask<long> IStateMachine.ApplyAsync(LogEntry entry, CancellationToken token)
    {
        Committed?.Invoke();
        if (_snapshot is { } current && entry.Index <= current.Index) return current.Index;
        if (entry.IsSnapshot) return await InstallAsync(entry, token);
        if (!entry.IsConfiguration && entry.Length is > 0)
        {
            byte[] records = await entry.ToByteArrayAsync(token: token);
            _applier.Apply(records);
            Interlocked.Increment(ref _entries);
            if (_snapshots is not null) _lastSequence = Math.Max(_lastSequence, JournalFormat.LastSequence(records));
        }
        if (_snapshots is not null) Track(entry.Index, entry.Term);
        return entry.Index;
    }

    /// <summary>Apply thread: remembers where the entry ends in the journal, and turns a newer state snapshot into a Raft snapshot.</summary>
    private void Track(long index, long term)
    {
        _tracked.Enqueue((index, term, _lastSequence));
        if (_tracked.Count > MaxTracked) _tracked.Dequeue();
        _sinceSnapshot++;
        if (!_building.IsCompleted) return;
        long covered = _snapshot?.Sequence ?? 0;
        if (_snapshots!.NewestSnapshot is { } newest && newest.Sequence > covered)
        {
            (long Index, long Term)? at = null;
            while (_tracked.TryPeek(out var t) && t.LastSequence <= newest.Sequence)
            {
                at = (t.Index, t.Term);
                _tracked.Dequeue();
            }
            if (at is { } entry && entry.Index > (_snapshot?.Index ?? 0))
            {
                _sinceSnapshot = _requestedAt = 0;
                _building = Task.Run(() => Build(entry.Index, entry.Term, newest.Sequence, newest.Path));
                return;
            }
        }
        // Asked again after another interval when the last request brought nothing (a failed or skipped snapshot).
        if (_sinceSnapshot >= _snapshotEntries && _sinceSnapshot - _requestedAt >= _snapshotEntries)
        {
            _requestedAt = _sinceSnapshot;
            _snapshots.RequestSnapshot();
        }
    }

    /// <summary>Writes the Raft snapshot file (header + the state snapshot file) and makes it current.</summary>
    private void Build(long index, long term, long sequence, string statePath)
    {
        try
        {
            byte[] state = File.ReadAllBytes(statePath);
            if (SnapshotFormat.Check(state, out long held) is { } problem) throw new SnapshotCorruptException(Path.GetFileName(statePath), problem);
            if (held != sequence) throw new SnapshotCorruptException(Path.GetFileName(statePath), $"holds sequence {held}, not {sequence}");
            var file = Write(index, term, state);
            Publish(new RaftSnapshot(file, index, term, sequence));
            Interlocked.Increment(ref _taken);
            LastSnapshotError = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SnapshotCorruptException)
        {
            LastSnapshotError = $"state snapshot {Path.GetFileName(statePath)} not taken as the Raft snapshot at index {index}: {e.Message}";
        }
    }

    /// <summary>The leader sent a snapshot: this member's log no longer matters before it, its state becomes the snapshot's.</summary>
    private async ValueTask<long> InstallAsync(LogEntry entry, CancellationToken token)
    {
        await _building;
        byte[] bytes = await entry.ToByteArrayAsync(token: token);
        if (RaftSnapshot.Check(bytes, out _, out _, out long sequence) is { } problem)
            throw new SnapshotCorruptException($"Raft snapshot at index {entry.Index}", problem);
        // The Raft snapshot is durable before the node installs it: a node that restarts to install it (or fails
        // midway) finds it at start and is asked again; installing what its journal holds already changes nothing.
        var file = Write(entry.Index, entry.Term, bytes.AsSpan(RaftSnapshot.HeaderSize));
        _snapshots?.Install(sequence, bytes[RaftSnapshot.HeaderSize..]);
        Publish(new RaftSnapshot(file, entry.Index, entry.Term, sequence));
        _tracked.Clear();
        _lastSequence = sequence;
        _sinceSnapshot = _requestedAt = 0;
        Interlocked.Increment(ref _installed);
        return entry.Index;
    }

    private FileInfo Write(long index, long term, ReadOnlySpan<byte> state)
    {
        var bytes = new byte[RaftSnapshot.HeaderSize + state.Length];
        RaftSnapshot.WriteHeader(bytes, index, term);
        state.CopyTo(bytes.AsSpan(RaftSnapshot.HeaderSize));
        var file = new FileInfo(Path.Combine(_location.FullName, $"{index:D20}-{term:D20}{Suffix}"));
        SnapshotStore.WriteDurably(file.FullName, bytes);
        file.Refresh();
        return file;
    }

    private void Publish(RaftSnapshot snapshot)
    {
        lock (_gate)
            if (_snapshot is null || snapshot.Index > _snapshot.Index) _snapshot = snapshot;
    }

    /// <summary>DotNext dropped the log up to <paramref name="watermark"/>: older Raft snapshots are not needed any more.</summary>
    ValueTask ISnapshotManager.ReclaimGarbageAsync(long watermark, CancellationToken token)
    {
        long keep = _snapshot?.Index ?? 0;
        foreach (var file in _location.EnumerateFiles("*" + Suffix))
        {
            if (RaftSnapshot.TryParseIndex(file.Name, out long index) && index < watermark && index != keep) file.Delete();
        }
        foreach (var temp in _location.EnumerateFiles("*" + Suffix + ".tmp")) temp.Delete();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _building;
        }
        catch (Exception)
        {
            // recorded in LastSnapshotError; nothing more to do on the way out
        }
    }

    /// <summary>
    /// A Raft snapshot file, as DotNext reads it to send to a member:
    /// <code>header (32 bytes): magic "HFRS" | u16 version | u16 reserved | i64 log index | i64 term | u32 reserved | u32 crc32c of the first 28 bytes
    /// body: one whole journal state snapshot file (SnapshotFormat, with its own checksums)</code>
    /// </summary>
    private sealed class RaftSnapshot(FileInfo file, long index, long term, long sequence) : ISnapshot
    {
        public const int HeaderSize = 32;
        private const uint Magic = 0x53524648; // "HFRS" little-endian
        private const ushort Version = 1;

        public long Index { get; } = index;

        public long Term { get; } = term;

        /// <summary>The journal sequence the state covers.</summary>
        public long Sequence { get; } = sequence;

        long? IDataTransferObject.Length => file.Length;

        bool IDataTransferObject.IsReusable => true;

        async ValueTask IDataTransferObject.WriteToAsync<TWriter>(TWriter writer, CancellationToken token)
        {
            await using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            await writer.CopyFromAsync(stream, token: token);
        }

        public static void WriteHeader(Span<byte> header, long index, long term)
        {
            header[..HeaderSize].Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version);
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], index);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], term);
            BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Crc32C.Compute(header[..28]));
        }

        /// <summary>Null when the header and the state snapshot inside check out, else the problem.</summary>
        public static string? Check(ReadOnlySpan<byte> bytes, out long index, out long term, out long sequence)
        {
            index = term = sequence = 0;
            if (bytes.Length < HeaderSize) return "truncated";
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic) return "not a Raft snapshot (bad magic)";
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[28..]) != Crc32C.Compute(bytes[..28])) return "header checksum mismatch";
            if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) != Version) return "unsupported Raft snapshot version";
            index = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
            term = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
            return SnapshotFormat.Check(bytes[HeaderSize..], out sequence);
        }

        public static bool TryParseIndex(string name, out long index)
            => long.TryParse(name.AsSpan(0, Math.Min(20, name.Length)), System.Globalization.NumberStyles.None, null, out index);
    }
}
