using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Hft.Journal;

/// <summary>Counters of a journal writer, for metrics and PERFORMANCE.md.</summary>
public readonly record struct JournalStats(long Records, long Batches, long Fsyncs, long Bytes, long LastSequence, int Segments);

/// <summary>
/// A leader's replication pipeline (replicated mode): batches handed to the replicated log as entries, their records,
/// the entries appended but not committed yet, and the most that were ever in flight at once.
/// </summary>
public readonly record struct ReplicationPipelineStats(long Entries, long Records, int InFlight, int MaxInFlight, long Committed, long CommitTicks)
{
    public double RecordsPerEntry => Entries == 0 ? 0 : (double)Records / Entries;

    /// <summary>Average time from an entry's append to the moment its commit released it, in milliseconds.</summary>
    public double CommitMsAverage => Committed == 0 ? 0 : CommitTicks * 1000.0 / Stopwatch.Frequency / Committed;
}

/// <summary>
/// Told by the journal thread about each fsync and each I/O failure, for metrics. Called off the trading hot path (on
/// the journal thread, after the I/O); implementations must be quick and must not throw.
/// </summary>
public interface IJournalObserver
{
    /// <summary>One fsync of the current segment took <paramref name="elapsedTicks"/> Stopwatch ticks.</summary>
    void OnFsync(long elapsedTicks);

    /// <summary>A write, fsync or segment open failed (the journal stops after it).</summary>
    void OnError(JournalOperation operation);
}

/// <summary>The journal I/O operations whose failures are counted.</summary>
public enum JournalOperation
{
    Write = 0,
    Fsync = 1,
    Open = 2,

    /// <summary>Handing a batch to the replicated log (lost leadership, or the log failed).</summary>
    Replicate = 3,
}

/// <summary>
/// The write-ahead journal: any thread appends records (copied into the current batch under a short lock, which
/// also fixes their sequence). Each batch is written with a single write: in sync mode (and replicated) by the journal
/// thread, with a single fsync (group commit); in async mode by whoever calls <see cref="Flush"/> first - an appender
/// writes its own batch on its own thread, no hand-off - while the journal thread fsyncs every fsync interval beside it.
/// Every move of the durable sequence is told to the one <see cref="IDurableListener"/> (the pipeline's durable outbox).
/// Segments roll at <c>segmentBytes</c>; a new segment starts with a versioned header and is named by its first sequence.
/// Replicated, the journal thread pipelines: it hands batch N+1 to the log while batch N is still being committed (up
/// to <see cref="MaxInFlight"/> entries), and writes and acknowledges each batch, in log order, once it is committed.
/// </summary>
public sealed class JournalWriter : IDisposable
{
    private readonly string _dir;
    private readonly JournalMode _mode;
    private readonly long _segmentBytes;
    private readonly TimeSpan _fsyncInterval;
    private readonly object _gate = new();
    private readonly object _writeGate = new(); // one writer of segments at a time (journal thread or a flushing appender)
    private Batch _filling = new();
    private Batch _spare = new();
    private readonly Stack<Batch> _free = new(); // journal thread: cleared batches back from the log, reused

    // Replicated leader, journal thread only: batches appended to the log and not committed yet, oldest first (a ring).
    private Batch[] _inFlight = new Batch[8];
    private long[] _tickets = new long[8];
    private long[] _sentAt = new long[8]; // Stopwatch timestamp of each in-flight entry's append
    private int _inFlightHead, _inFlightCount;
    private volatile bool _windowFull; // appenders need not wake the journal thread: only a commit frees the window
    private long _entries, _entryRecords, _entriesCommitted, _commitTicks;
    private int _maxInFlightSeen, _inFlightNow;
    private readonly Thread? _thread;
    private readonly ManualResetEventSlim _work = new(false);
    private volatile bool _stopping;
    private SafeFileHandle? _segment;
    private readonly List<SafeFileHandle> _retired = new(); // async: rolled segments the journal thread flushes and closes
    private bool _directoryDirty;                          // async: a new segment's name still to be made durable
    private long _segmentLength;
    private long _nextSequence;
    private long _records, _batches, _fsyncs, _bytes, _durableSequence, _writtenSequence, _syncedSequence;
    private int _segments;
    private Exception? _failure;
    private long _fsyncTicks, _errors;
    private JournalOperation _current;
    private volatile IJournalObserver? _observer;
    private volatile IDurableListener? _listener;
    private IJournalReplicator? _replicator;

    // Fingerprints (stored CRC32C) of the last records by sequence: a record the replicated log delivers again must be
    // the same record this node holds, else this node's journal has diverged from the group's (see HoldsSame).
    private const int FingerprintWindow = 1 << 16;
    private readonly uint[] _fingerprints = new uint[FingerprintWindow];
    private long _fingerprintsFrom;

    public JournalWriter(string dir, JournalMode mode, long nextSequence, long segmentBytes = 64L << 20, int fsyncIntervalMs = 10)
    {
        _dir = dir;
        _mode = mode;
        _nextSequence = nextSequence;
        _writtenSequence = _syncedSequence = nextSequence - 1; // everything before it is already on disk (recovered)
        _fingerprintsFrom = nextSequence;
        _segmentBytes = segmentBytes;
        _fsyncInterval = TimeSpan.FromMilliseconds(fsyncIntervalMs);
        if (mode == JournalMode.None) return;
        Directory.CreateDirectory(dir);
        _thread = new Thread(Run) { IsBackground = true, Name = "hft-journal", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public JournalMode Mode => _mode;

    /// <summary>
    /// Replicated mode: this node's own records (<see cref="Append"/>) are handed batch by batch to the replicated log
    /// and count as durable only as it says (<see cref="IJournalReplicator"/>); records that came from the log
    /// (<see cref="AppendReplicated"/>) are written as they are. Set before the first append.
    /// </summary>
    public IJournalReplicator? Replicator
    {
        get => _replicator;
        set
        {
            _replicator = value;
            if (value is not null) value.Progress = _work.Set;
        }
    }

    /// <summary>
    /// Replicated mode: the most batches handed to the log and not committed yet (<c>[replication] max_in_flight</c>);
    /// while the window is full the next batch keeps filling. Set before the first append.
    /// </summary>
    public int MaxInFlight
    {
        get => _inFlight.Length;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _inFlight = new Batch[value];
            _tickets = new long[value];
            _sentAt = new long[value];
        }
    }

    /// <summary>The replication pipeline of a leader (all 0 on a follower or a single node).</summary>
    public ReplicationPipelineStats Replication => new(Interlocked.Read(ref _entries), Interlocked.Read(ref _entryRecords),
        Volatile.Read(ref _inFlightNow), Volatile.Read(ref _maxInFlightSeen), Interlocked.Read(ref _entriesCommitted), Interlocked.Read(ref _commitTicks));

    /// <summary>The sequence the next record will get (replicated mode: a record from the log must carry exactly it).</summary>
    public long NextSequence
    {
        get
        {
            lock (_gate) return _nextSequence;
        }
    }

    /// <summary>Highest sequence written to this node's segments (replicated mode: committed records only).</summary>
    public long WrittenSequence => Interlocked.Read(ref _writtenSequence);

    /// <summary>Told of every move of the durable sequence and of a failure (set before the first append).</summary>
    public IDurableListener? Listener
    {
        get => _listener;
        set => _listener = value;
    }

    /// <summary>
    /// True when <see cref="Flush"/> writes on the calling thread (mode async, not replicated); otherwise it wakes the
    /// journal thread (sync: group commit with fsync; replicated: the log decides).
    /// </summary>
    public bool WritesInline => _mode == JournalMode.Async && _replicator is null;

    /// <summary>Told about every fsync and failure from now on (set before the first append to see them all).</summary>
    public IJournalObserver? Observer
    {
        get => _observer;
        set => _observer = value;
    }

    /// <summary>Total time spent in fsync of journal segments (Stopwatch ticks).</summary>
    public long FsyncTicks => Interlocked.Read(ref _fsyncTicks);

    /// <summary>Failed writes, fsyncs and segment opens (0 or 1: the first failure stops the journal).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Set when a write or fsync failed: the journal stopped and every later append is refused.</summary>
    public Exception? Failure => _failure;

    /// <summary>Highest sequence made durable (by the mode's promise).</summary>
    public long DurableSequence => Interlocked.Read(ref _durableSequence);

    /// <summary>
    /// Highest sequence written and fsynced (in mode async this trails <see cref="DurableSequence"/> by up to the fsync
    /// interval; in mode none every appended sequence counts). A snapshot waits for it, so that a snapshot on disk
    /// never covers journal records a power loss could still take away.
    /// </summary>
    public long SyncedSequence => _mode == JournalMode.None ? DurableSequence : Interlocked.Read(ref _syncedSequence);

    /// <summary>Waits until <see cref="SyncedSequence"/> reaches <paramref name="sequence"/>; false on timeout or when the journal failed.</summary>
    public bool WaitSynced(long sequence, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (SyncedSequence < sequence)
        {
            if (_failure is not null || clock.Elapsed > timeout) return false;
            _work.Set();
            Thread.Sleep(1);
        }
        return true;
    }

    public JournalStats Stats => new(Interlocked.Read(ref _records), Interlocked.Read(ref _batches), Interlocked.Read(ref _fsyncs),
        Interlocked.Read(ref _bytes), Interlocked.Read(ref _nextSequence) - 1, _segments);

    /// <summary>
    /// Appends one record and returns its sequence. It becomes durable on the next <see cref="Flush"/> (or, in sync and
    /// replicated mode, with the journal thread's next batch); in mode none it counts as durable at once.
    /// </summary>
    /// <exception cref="IOException">The journal has failed: nothing can be made durable any more.</exception>
    public long Append(RecordType type, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > JournalFormat.MaxPayload) throw new ArgumentOutOfRangeException(nameof(payload), "journal record payload too large");
        long seq;
        lock (_gate)
        {
            if (_failure is { } failed) throw new IOException("the journal has failed; no record can be made durable", failed);
            seq = _nextSequence++;
            if (_mode == JournalMode.None)
            {
                Interlocked.Increment(ref _records);
                Volatile.Write(ref _durableSequence, seq);
            }
            else
            {
                if (_filling.FromLog > 0) throw new InvalidOperationException("own records and replicated records in one journal batch");
                _fingerprints[seq & (FingerprintWindow - 1)] = _filling.Add(seq, -1, type, payload, own: true);
            }
        }
        if (_mode == JournalMode.None) _listener?.OnDurable(seq);
        else if (!WritesInline && !_windowFull) _work.Set();
        return seq;
    }

    /// <summary>
    /// Makes what was appended so far durable as soon as possible. Mode async (not replicated): writes the pending batch
    /// on the calling thread now (one write; the listener is told before this returns). Sync or replicated: wakes the
    /// journal thread. None: nothing to do.
    /// Never throws: a failed write fails the journal (the listener is told).
    /// </summary>
    public void Flush()
    {
        if (_mode == JournalMode.None) return;
        if (!WritesInline)
        {
            if (!_windowFull) _work.Set();
            return;
        }
        if (_failure is not null) return;
        long written = 0;
        // Waits at most one write of another appender: then its batch held our records, or we write them now.
        lock (_writeGate)
        {
            try
            {
                written = WritePending();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                Fail(e);
            }
        }
        if (written > 0) _listener?.OnDurable(written); // outside the gate: releasing replies must not hold up the next writer
    }

    /// <summary>Under the write gate: swaps the filling batch out and writes it; the new durable sequence, or 0 when nothing was pending.</summary>
    private long WritePending()
    {
        Batch batch;
        lock (_gate)
        {
            if (_filling.Count == 0) return 0;
            batch = _filling;
            _filling = _spare;
            _spare = batch;
        }
        WriteBatch(batch);
        long last = batch.LastSequence;
        Volatile.Write(ref _durableSequence, last);
        batch.Clear();
        return last;
    }

    /// <summary>
    /// Replicated mode: appends a record decided by the leader, with the leader's sequence and timestamp (a follower,
    /// or a new leader catching up). The sequence must be exactly <see cref="NextSequence"/>: a record already held is
    /// the caller's to skip, a gap is lost data and refused.
    /// </summary>
    public void AppendReplicated(long sequence, long timestampMicros, RecordType type, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > JournalFormat.MaxPayload) throw new ArgumentOutOfRangeException(nameof(payload), "journal record payload too large");
        if (_mode == JournalMode.None) throw new InvalidOperationException("journal mode none cannot hold a replicated log");
        lock (_gate)
        {
            if (_failure is { } failed) throw new IOException("the journal has failed; no record can be made durable", failed);
            if (sequence != _nextSequence)
                throw new InvalidOperationException($"replicated record {sequence} where {_nextSequence} was expected (records are missing)");
            if (_filling.Own > 0) throw new InvalidOperationException("replicated records and own records in one journal batch");
            _nextSequence++;
            _fingerprints[sequence & (FingerprintWindow - 1)] = _filling.Add(sequence, timestampMicros, type, payload, own: false);
        }
        _work.Set();
    }

    /// <summary>
    /// Replicated mode: a journal that holds nothing yet (no record appended or written since it opened after sequence 0)
    /// continues after a snapshot of the group's state at <paramref name="sequence"/>, which the caller has just written
    /// to the directory (<see cref="SnapshotStore.Rebase"/>): the next record is <c>sequence + 1</c>. Refused otherwise.
    /// </summary>
    public void Rebase(long sequence)
    {
        lock (_writeGate)
        lock (_gate)
        {
            if (_nextSequence != 1 || _segment is not null || _filling.Count > 0)
                throw new InvalidOperationException($"the journal holds records already (next sequence {_nextSequence}): only an empty journal is rebased in place");
            _nextSequence = sequence + 1;
            _fingerprintsFrom = sequence + 1;
            Volatile.Write(ref _writtenSequence, sequence);
            Volatile.Write(ref _syncedSequence, sequence);
            Volatile.Write(ref _durableSequence, sequence);
        }
    }

    /// <summary>Recovery: the fingerprints of the records it read from disk (only the last window is kept).</summary>
    public void SeedFingerprint(long sequence, uint crc)
    {
        lock (_gate)
        {
            if (sequence >= _nextSequence) return;
            _fingerprints[sequence & (FingerprintWindow - 1)] = crc;
            if (sequence < _fingerprintsFrom) _fingerprintsFrom = sequence;
        }
    }

    /// <summary>
    /// Whether the record this node holds at <paramref name="sequence"/> has the fingerprint <paramref name="crc"/>:
    /// true when it does, or when it is too old (or restored from a snapshot) to be known; false when it differs.
    /// </summary>
    public bool HoldsSame(long sequence, uint crc)
    {
        lock (_gate)
        {
            if (sequence >= _nextSequence || sequence < _fingerprintsFrom || sequence < _nextSequence - FingerprintWindow) return true;
            return _fingerprints[sequence & (FingerprintWindow - 1)] == crc;
        }
    }

    private void Run()
    {
        var lastFsync = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                _work.Wait(_mode == JournalMode.Async ? _fsyncInterval : TimeSpan.FromMilliseconds(50));
                _work.Reset();
                if (WritesInline)
                {
                    // Appenders write their own batches (Flush); this thread writes what nobody flushed and fsyncs.
                    long written;
                    lock (_writeGate) written = WritePending();
                    if (written > 0) _listener?.OnDurable(written);
                    if (lastFsync.Elapsed >= _fsyncInterval || _stopping)
                    {
                        FsyncWritten();
                        lastFsync.Restart();
                    }
                }
                else
                {
                    var replicator = _replicator;
                    if (_inFlightCount > 0) ReleaseCommitted(replicator!);
                    Batch? batch = null;
                    lock (_gate)
                    {
                        // Records from the log are written only behind every batch still in flight (log order).
                        if (_filling.Count > 0 && (_filling.FromLog > 0 ? _inFlightCount == 0 : replicator is null || _inFlightCount < _inFlight.Length))
                        {
                            batch = _filling;
                            _filling = _spare;
                            _spare = _free.Count > 0 ? _free.Pop() : new Batch();
                        }
                    }
                    if (batch is { Own: > 0 } && replicator is not null) Send(replicator, batch);
                    else if (batch is not null)
                    {
                        lock (_writeGate)
                        {
                            WriteBatch(batch);
                            if (_mode == JournalMode.Sync) Fsync();
                        }
                        long last = batch.LastSequence;
                        Volatile.Write(ref _durableSequence, last);
                        Recycle(batch);
                        _listener?.OnDurable(last);
                    }
                    // Window full: appenders stop waking this thread; a commit does (then the filled batch goes next).
                    bool full = replicator is not null && _inFlightCount == _inFlight.Length;
                    if (_windowFull && !full)
                    {
                        _windowFull = false;
                        lock (_gate)
                            if (_filling.Count > 0) _work.Set(); // appended while appenders still saw the window full
                    }
                    else _windowFull = full;
                    if (_mode == JournalMode.Async && lastFsync.Elapsed >= _fsyncInterval)
                    {
                        FsyncWritten();
                        lastFsync.Restart();
                    }
                }
                if (_stopping)
                {
                    bool more;
                    lock (_gate) more = _filling.Count > 0;
                    if (more || _inFlightCount > 0)
                    {
                        if (_inFlightCount == 0) _work.Set(); // else the commit (or the loss of leadership) wakes this thread
                        continue;
                    }
                    FsyncWritten();
                    return;
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    /// <summary>The first failure stops the journal: every later append is refused and the listener is told once.</summary>
    private void Fail(Exception e)
    {
        lock (_writeGate)
        lock (_gate)
        {
            if (_failure is not null) return;
            _failure = e;
            _filling.Clear();
            _spare.Clear();
        }
        Interlocked.Increment(ref _errors);
        _observer?.OnError(_current);
        _listener?.OnFailed(e);
    }

    /// <summary>
    /// Hands the batch to the replicated log as one entry, without waiting for its commit: it joins the in-flight
    /// window. With ack = leader its records are acknowledged as soon as the leader's own log holds them.
    /// </summary>
    private void Send(IJournalReplicator replicator, Batch batch)
    {
        _current = JournalOperation.Replicate;
        long ticket = replicator.Append(batch.Bytes, _inFlightCount == 0);
        if (ticket < 0) throw new ReplicationLostException($"records {batch.FirstSequence}..{batch.LastSequence}: this node is no longer the leader");
        int at = (_inFlightHead + _inFlightCount) % _inFlight.Length;
        _inFlight[at] = batch;
        _tickets[at] = ticket;
        _sentAt[at] = Stopwatch.GetTimestamp();
        _inFlightCount++;
        Volatile.Write(ref _inFlightNow, _inFlightCount);
        if (_inFlightCount > _maxInFlightSeen) Volatile.Write(ref _maxInFlightSeen, _inFlightCount);
        Interlocked.Increment(ref _entries);
        Interlocked.Add(ref _entryRecords, batch.Count);
        if (replicator.AcknowledgeOnAppend)
        {
            Volatile.Write(ref _durableSequence, batch.LastSequence);
            _listener?.OnDurable(batch.LastSequence);
        }
    }

    /// <summary>
    /// Writes every in-flight batch the log has committed to this node's segments, oldest first (every node's journal
    /// holds committed records only), with one fsync, then acknowledges them. Leadership lost with batches in flight:
    /// none of them is acknowledged and the journal stops.
    /// </summary>
    private void ReleaseCommitted(IJournalReplicator replicator)
    {
        _current = JournalOperation.Replicate;
        long committed = replicator.CommittedTicket;
        if (committed < 0)
        {
            var first = _inFlight[_inFlightHead];
            var newest = _inFlight[(_inFlightHead + _inFlightCount - 1) % _inFlight.Length];
            throw new ReplicationLostException($"records {first.FirstSequence}..{newest.LastSequence} in {_inFlightCount} log entries were not committed: leadership lost or the log failed");
        }
        if (_tickets[_inFlightHead] > committed) return;
        long last = 0, now = Stopwatch.GetTimestamp();
        lock (_writeGate)
        {
            while (_inFlightCount > 0 && _tickets[_inFlightHead] <= committed)
            {
                var batch = _inFlight[_inFlightHead];
                Interlocked.Add(ref _commitTicks, now - _sentAt[_inFlightHead]);
                Interlocked.Increment(ref _entriesCommitted);
                WriteBatch(batch);
                last = batch.LastSequence;
                _inFlight[_inFlightHead] = null!;
                _inFlightHead = (_inFlightHead + 1) % _inFlight.Length;
                _inFlightCount--;
                Recycle(batch);
            }
            if (_mode == JournalMode.Sync) Fsync();
        }
        Volatile.Write(ref _inFlightNow, _inFlightCount);
        if (replicator.AcknowledgeOnAppend) return; // acknowledged on append already
        Volatile.Write(ref _durableSequence, last);
        _listener?.OnDurable(last);
    }

    /// <summary>Journal thread: a written batch is cleared and kept for the next swap.</summary>
    private void Recycle(Batch batch)
    {
        batch.Clear();
        lock (_gate) _free.Push(batch);
    }

    private void WriteBatch(Batch batch)
    {
        var bytes = batch.Bytes;
        int offset = 0;
        // Roll before a batch that would overflow the segment (a segment always holds whole batches).
        if (_segment is null || (_segmentLength > JournalFormat.SegmentHeaderSize && _segmentLength + bytes.Length > _segmentBytes))
            OpenSegment(batch.FirstSequence);
        _current = JournalOperation.Write;
        RandomAccess.Write(_segment!, bytes, _segmentLength);
        _segmentLength += bytes.Length;
        offset += bytes.Length;
        Interlocked.Add(ref _bytes, offset);
        Interlocked.Add(ref _records, batch.Count);
        Interlocked.Increment(ref _batches);
        Volatile.Write(ref _writtenSequence, batch.LastSequence);
    }

    private void OpenSegment(long firstSequence)
    {
        _current = JournalOperation.Open;
        // Async mode writes on the deciding thread: the rolled segment's fsync and the directory's are left to the journal
        // thread's next fsync, which covers them before it reports anything as synced. Elsewhere this is the journal thread.
        bool deferSync = WritesInline && !_stopping;
        if (_segment is not null)
        {
            if (deferSync) _retired.Add(_segment);
            else
            {
                RandomAccess.FlushToDisk(_segment);
                _segment.Dispose();
            }
        }
        string path = Path.Combine(_dir, JournalFormat.SegmentName(firstSequence));
        // A segment that holds no record (a crash right after its header was written, or recovery cut off its only
        // records) already has the name of the next sequence: reuse it. One with records is never overwritten.
        var mode = File.Exists(path) && new FileInfo(path).Length <= JournalFormat.SegmentHeaderSize ? FileMode.Create : FileMode.CreateNew;
        _segment = File.OpenHandle(path, mode, FileAccess.ReadWrite, FileShare.Read);
        Span<byte> header = stackalloc byte[JournalFormat.SegmentHeaderSize];
        JournalFormat.WriteSegmentHeader(header, firstSequence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        RandomAccess.Write(_segment, header, 0);
        _segmentLength = JournalFormat.SegmentHeaderSize;
        _segments++;
        if (deferSync) _directoryDirty = true;
        else FsyncDirectory();
    }

    /// <summary>
    /// Async mode: fsyncs what is written without holding the write gate, so appenders keep writing meanwhile: first the
    /// segments rolled since the last fsync (then closed) and the directory that names the new one, then the current
    /// segment, which is referenced for the duration (a roll may retire it meanwhile).
    /// </summary>
    private void FsyncWritten()
    {
        SafeFileHandle? segment;
        SafeFileHandle[] retired;
        bool directory;
        long upTo;
        bool referenced = false;
        lock (_writeGate)
        {
            segment = _segment;
            upTo = Volatile.Read(ref _writtenSequence);
            retired = _retired.Count == 0 ? [] : [.. _retired];
            _retired.Clear();
            directory = _directoryDirty;
            _directoryDirty = false;
            if (segment is null || upTo <= Volatile.Read(ref _syncedSequence))
            {
                if (retired.Length == 0 && !directory) return;
                segment = null; // only the rolled segments and the directory to sync
            }
            else segment.DangerousAddRef(ref referenced);
        }
        try
        {
            _current = JournalOperation.Fsync;
            long start = Stopwatch.GetTimestamp();
            foreach (var old in retired)
            {
                RandomAccess.FlushToDisk(old);
                old.Dispose();
            }
            if (directory) FsyncDirectory();
            if (segment is null) return;
            RandomAccess.FlushToDisk(segment);
            long elapsed = Stopwatch.GetTimestamp() - start;
            Interlocked.Add(ref _fsyncTicks, elapsed);
            Interlocked.Increment(ref _fsyncs);
            _observer?.OnFsync(elapsed);
            long synced;
            while ((synced = Volatile.Read(ref _syncedSequence)) < upTo && Interlocked.CompareExchange(ref _syncedSequence, upTo, synced) != synced)
            {
            }
        }
        finally
        {
            if (referenced) segment!.DangerousRelease();
        }
    }

    private void Fsync()
    {
        if (_segment is null) return;
        _current = JournalOperation.Fsync;
        long start = Stopwatch.GetTimestamp();
        RandomAccess.FlushToDisk(_segment);
        long elapsed = Stopwatch.GetTimestamp() - start;
        Interlocked.Add(ref _fsyncTicks, elapsed);
        Interlocked.Increment(ref _fsyncs);
        _observer?.OnFsync(elapsed);
        Volatile.Write(ref _syncedSequence, Volatile.Read(ref _writtenSequence));
    }

    /// <summary>A new file's name is durable only once its directory is synced.</summary>
    private void FsyncDirectory()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            using var dir = File.OpenHandle(_dir, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
            RandomAccess.FlushToDisk(dir);
        }
        catch (UnauthorizedAccessException)
        {
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Writes and syncs everything appended so far, then stops the journal thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        _work.Set();
        _thread?.Join();
        lock (_writeGate)
        {
            foreach (var old in _retired)
            {
                if (_failure is null) RandomAccess.FlushToDisk(old);
                old.Dispose();
            }
            _retired.Clear();
            if (_directoryDirty && _failure is null) FsyncDirectory();
            if (_segment is null) return;
            if (_failure is null)
            {
                RandomAccess.FlushToDisk(_segment);
                Volatile.Write(ref _syncedSequence, Volatile.Read(ref _writtenSequence));
            }
            _segment.Dispose();
            _segment = null;
        }
    }

    /// <summary>Records appended since the last write: their bytes.</summary>
    private sealed class Batch
    {
        private byte[] _bytes = new byte[1 << 20];
        private int _length;

        public int Count { get; private set; }

        /// <summary>Records appended by this node (to replicate) and records that came from the replicated log.</summary>
        public int Own { get; private set; }

        public int FromLog { get; private set; }

        public long FirstSequence { get; private set; }

        public long LastSequence { get; private set; }

        public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _length);

        /// <summary>Adds one record; returns its CRC (the record's fingerprint).</summary>
        public uint Add(long seq, long timestampMicros, RecordType type, ReadOnlySpan<byte> payload, bool own)
        {
            int size = JournalFormat.RecordHeaderSize + payload.Length;
            if (_length + size > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + size));
            long micros = timestampMicros >= 0 ? timestampMicros : (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
            if (own) Own++;
            else FromLog++;
            int at = _length;
            _length += JournalFormat.WriteRecord(_bytes.AsSpan(_length), seq, micros, type, payload);
            if (Count == 0) FirstSequence = seq;
            LastSequence = seq;
            Count++;
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(at + 4));
        }

        public void Clear()
        {
            _length = 0;
            Count = Own = FromLog = 0;
        }
    }
}
