using System.Diagnostics;
using System.Net;
using Hft.Journal;

namespace Hft.Replication.Tests;

/// <summary>
/// One production <see cref="RaftNode"/> on localhost with a real <see cref="JournalWriter"/> and real journal state
/// snapshots, standing in for a server: its "state" is the committed records' count and sum (sequence, sum of
/// payloads), which it snapshots in the journal's own format (<see cref="SnapshotFormat"/>, the sum as the order id
/// counter) and recovers at start as the server does: newest snapshot, then the journal segments after it.
/// Every committed record goes to the journal; records it holds already are skipped by sequence.
/// </summary>
internal sealed class SnapshottingMember : IReplicatedLogApplier, IReplicatedStateSnapshots, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly object _snapshotGate = new(); // one snapshot at a time, as the server's
    private readonly string _journalDir;
    private long _sequence, _sum;
    private volatile Tuple<long, string>? _newest;
    private int _snapshotting;
    private long _requests, _installs;

    private SnapshottingMember(EndPoint self, string dir)
    {
        Self = self;
        Dir = dir;
        _journalDir = Path.Combine(dir, "journal");
    }

    public EndPoint Self { get; }

    public string Dir { get; }

    public string RaftDir => Path.Combine(Dir, "raft");

    public RaftNode Node { get; private set; } = null!;

    public JournalWriter Journal { get; private set; } = null!;

    /// <summary>How long start-up took: journal recovery, then the Raft member's start (its snapshot, its log after it).</summary>
    public TimeSpan Recovery { get; private set; }

    public TimeSpan RaftStart { get; private set; }

    public long RecordsRecovered { get; private set; }

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Snapshots installed into the journal (the journal was behind the group's snapshot).</summary>
    public long Installs => Interlocked.Read(ref _installs);

    public (long Sequence, long Sum) State
    {
        get
        {
            lock (_gate) return (_sequence, _sum);
        }
    }

    public static async Task<SnapshottingMember> StartAsync(EndPoint self, EndPoint[] members, string dir, long snapshotEntries, int chunkBytes)
    {
        var m = new SnapshottingMember(self, dir);
        var clock = Stopwatch.StartNew();
        (m._sequence, m._sum, m.RecordsRecovered) = Recover(m._journalDir);
        m.Journal = new JournalWriter(m._journalDir, JournalMode.Sync, m._sequence + 1);
        if (SnapshotStore.List(m._journalDir) is [.., var newest]) m._newest = Tuple.Create(newest.Sequence, newest.Path);
        m.Recovery = clock.Elapsed;
        clock.Restart();
        m.Node = await RaftNode.StartAsync(new RaftNodeOptions
        {
            Self = self, Members = members, Dir = m.RaftDir, ElectionTimeoutMs = 1000, SnapshotEntries = snapshotEntries,
            WalChunkBytes = chunkBytes,
        }, m, CancellationToken.None);
        m.RaftStart = clock.Elapsed;
        return m;
    }

    /// <summary>The state a journal directory holds, as recovery rebuilds it: the newest snapshot, then every record after it.</summary>
    public static (long Sequence, long Sum, long Replayed) Recover(string journalDir)
    {
        long sequence = 0, sum = 0, replayed = 0;
        if (SnapshotStore.LoadNewest(journalDir).Snapshot is { } snapshot) (sequence, sum) = (snapshot.Sequence, snapshot.NextOrderId);
        var segments = JournalReader.Segments(journalDir);
        if (segments.Count > 0 && segments[0].FirstSequence > sequence + 1)
            throw new JournalCorruptException(segments[0].Path, 0, $"records {sequence + 1}..{segments[0].FirstSequence - 1} are missing");
        var read = JournalReader.Read(journalDir, sequence, repair: false, (in JournalRecord r) =>
        {
            sum += BitConverter.ToInt64(r.Payload);
            replayed++;
        });
        return (Math.Max(sequence, read.LastSequence), sum, replayed);
    }

    public void Apply(ReadOnlySpan<byte> records)
    {
        lock (_gate)
        {
            string? problem = JournalReader.ReadBatch(records, (in JournalRecord r) =>
            {
                if (r.Sequence <= _sequence) return; // held already (a retried batch, or restored from a snapshot)
                if (r.Sequence != _sequence + 1) throw new InvalidOperationException($"record {r.Sequence} after {_sequence}: a gap");
                Journal.AppendReplicated(r.Sequence, r.TimestampMicros, r.Type, r.Payload);
                _sequence = r.Sequence;
                _sum += BitConverter.ToInt64(r.Payload);
            });
            if (problem is not null) throw new JournalCorruptException("replicated entry", 0, problem);
        }
    }

    public (long Sequence, string Path)? NewestSnapshot => _newest is { } n ? (n.Item1, n.Item2) : null;

    public void RequestSnapshot()
    {
        Interlocked.Increment(ref _requests);
        if (Interlocked.Exchange(ref _snapshotting, 1) != 0) return;
        _ = Task.Run(() =>
        {
            try
            {
                TakeSnapshot();
            }
            finally
            {
                Volatile.Write(ref _snapshotting, 0);
            }
        });
    }

    /// <summary>A state snapshot of what is applied now, written once the journal holds it (as the server's snapshots are).</summary>
    public void TakeSnapshot()
    {
        lock (_snapshotGate)
        {
            long sequence, sum;
            lock (_gate) (sequence, sum) = (_sequence, _sum);
            if (sequence == 0 || !Journal.WaitSynced(sequence, TimeSpan.FromSeconds(30))) return;
            string path = SnapshotStore.Write(_journalDir, new SnapshotData { Sequence = sequence, NextOrderId = sum });
            SnapshotStore.Prune(_journalDir, keepSnapshots: 2);
            _newest = Tuple.Create(sequence, path);
        }
    }

    public void Install(long sequence, byte[] snapshotFile)
    {
        var data = SnapshotFormat.Decode(snapshotFile, "installed snapshot");
        lock (_gate)
        {
            if (_sequence >= sequence) return;
            Journal.Dispose();
            SnapshotStore.Rebase(_journalDir, data);
            Journal = new JournalWriter(_journalDir, JournalMode.Sync, sequence + 1);
            (_sequence, _sum) = (data.Sequence, data.NextOrderId);
            _newest = Tuple.Create(sequence, Path.Combine(_journalDir, SnapshotFormat.FileName(sequence)));
            Interlocked.Increment(ref _installs);
        }
    }

    /// <summary>Bytes of every file of the Raft write-ahead log.</summary>
    public long WalBytes() => Directory.EnumerateFiles(Path.Combine(RaftDir, "wal"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        Journal.Dispose();
    }
}
