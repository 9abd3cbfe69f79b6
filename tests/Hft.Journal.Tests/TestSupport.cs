using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Journal.Tests;

/// <summary>A fresh directory under the temp folder, deleted (with everything in it) on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hft-journal-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] SegmentFiles() => JournalReader.Segments(Path).Select(s => s.Path).ToArray();

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One record as the reader delivered it (payload copied out of the span).</summary>
public sealed record ReadRecord(long Sequence, long TimestampMicros, RecordType Type, byte[] Payload);

/// <summary>Told once a record it waits for is durable (its sequence), or with -1 when the journal failed first.</summary>
public interface IRecordCallback
{
    void OnDurable(long sequence);
}

/// <summary>
/// The tests' view of durability per record: the journal tells one <see cref="IDurableListener"/> how far it is durable;
/// this tracker (the journal's listener) turns that into one call per appended record, in sequence order.
/// </summary>
public sealed class DurableTracker : IDurableListener
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JournalWriter, DurableTracker> s_trackers = new();
    private readonly object _gate = new();
    private readonly SortedDictionary<long, IRecordCallback> _pending = new();
    private long _durable;
    private bool _failed;

    /// <summary>The journal's tracker, made its listener on first use (once, even when threads race to it).</summary>
    public static DurableTracker Of(JournalWriter journal)
    {
        lock (s_trackers)
        {
            if (s_trackers.TryGetValue(journal, out var tracker)) return tracker;
            tracker = new DurableTracker();
            journal.Listener = tracker;
            s_trackers.Add(journal, tracker);
            return tracker;
        }
    }

    public void Expect(JournalWriter journal, long sequence, IRecordCallback callback)
    {
        bool now, failed;
        lock (_gate)
        {
            _durable = Math.Max(_durable, journal.DurableSequence);
            failed = _failed;
            now = failed || sequence <= _durable;
            if (!now) _pending[sequence] = callback;
        }
        if (now) callback.OnDurable(failed && sequence > _durable ? -1 : sequence);
    }

    public void OnDurable(long upTo)
    {
        List<(long, IRecordCallback)> due = [];
        lock (_gate)
        {
            _durable = Math.Max(_durable, upTo);
            foreach (var (seq, cb) in _pending)
            {
                if (seq > upTo) break;
                due.Add((seq, cb));
            }
            foreach (var (seq, _) in due) _pending.Remove(seq);
        }
        foreach (var (seq, cb) in due) cb.OnDurable(seq);
    }

    public void OnFailed(Exception failure)
    {
        List<IRecordCallback> due;
        lock (_gate)
        {
            _failed = true;
            due = _pending.Values.ToList();
            _pending.Clear();
        }
        foreach (var cb in due) cb.OnDurable(-1);
    }
}

public static class JournalTestExtensions
{
    /// <summary>Appends, flushes, and has <paramref name="callback"/> told once the record is durable (or -1 on failure).</summary>
    public static long Append(this JournalWriter journal, RecordType type, ReadOnlySpan<byte> payload, IRecordCallback? callback)
    {
        var tracker = callback is null ? null : DurableTracker.Of(journal);
        long seq = journal.Append(type, payload);
        tracker?.Expect(journal, seq, callback!);
        journal.Flush();
        return seq;
    }
}

/// <summary>Records every callback; lets a test wait until a number of them arrived.</summary>
public sealed class CallbackLog : IRecordCallback
{
    private readonly ConcurrentQueue<long> _calls = new();
    private int _count;

    public Action<long>? OnCall { get; init; }

    public IReadOnlyCollection<long> Calls => _calls;

    public int Count => Volatile.Read(ref _count);

    public void OnDurable(long sequence)
    {
        OnCall?.Invoke(sequence);
        _calls.Enqueue(sequence);
        Interlocked.Increment(ref _count);
    }

    public void WaitFor(int count, int timeoutMs = 10_000)
    {
        if (!SpinWait.SpinUntil(() => Count >= count, timeoutMs))
            throw new TimeoutException($"only {Count} of {count} callbacks arrived");
    }
}

/// <summary>Calls the callback once per record and signals a waiter (one outstanding record per appender).</summary>
public sealed class Waiter : IRecordCallback
{
    private readonly ManualResetEventSlim _done = new(false);
    public long Sequence { get; private set; }

    public void Reset() => _done.Reset();

    public void OnDurable(long sequence)
    {
        Sequence = sequence;
        _done.Set();
    }

    public void Wait()
    {
        if (!_done.Wait(10_000)) throw new TimeoutException("callback did not arrive");
    }
}

public static class J
{
    public static List<ReadRecord> ReadAll(string dir, out JournalReadResult result, long afterSequence = 0, bool repair = false)
    {
        var list = new List<ReadRecord>();
        result = JournalReader.Read(dir, afterSequence, repair, (in JournalRecord r) =>
            list.Add(new ReadRecord(r.Sequence, r.TimestampMicros, r.Type, r.Payload.ToArray())));
        return list;
    }

    public static List<ReadRecord> ReadAll(string dir) => ReadAll(dir, out _);

    /// <summary>A command payload that encodes <paramref name="i"/> (order id) and <paramref name="tag"/> (account).</summary>
    public static byte[] Command(long i, int tag = 0)
    {
        var c = OrderCommand.NewLimit(i, tag, (int)(i % 7), i % 2 == 0 ? Side.Buy : Side.Sell, 1000 + i, 1 + i % 13);
        var bytes = new byte[CommandCodec.Size];
        CommandCodec.Write(bytes, c, (int)(i % 4));
        return bytes;
    }

    /// <summary>An admin payload of varying length (including empty).</summary>
    public static byte[] Admin(long i) => i % 5 == 0 ? [] : Encoding.UTF8.GetBytes($"{{\"op\":\"halt\",\"n\":{i},\"pad\":\"{new string('x', (int)(i % 37))}\"}}");

    /// <summary>The i-th record of a mixed stream: mostly commands, every third an admin record.</summary>
    public static (RecordType Type, byte[] Payload) Mixed(long i) => i % 3 == 2 ? (RecordType.Admin, Admin(i)) : (RecordType.Command, Command(i));

    /// <summary>Writes records 1..count (mixed types) with one writer, waiting for nothing but dispose.</summary>
    public static void WriteMixed(string dir, int count, JournalMode mode = JournalMode.Sync, long segmentBytes = 64L << 20, long first = 1)
    {
        using var w = new JournalWriter(dir, mode, first, segmentBytes);
        for (long i = first; i < first + count; i++)
        {
            var (t, p) = Mixed(i);
            Assert.Equal(i, w.Append(t, p, null));
        }
    }

    /// <summary>Writes records one batch at a time (each waits for its callback), so batches and segment rolls are deterministic.</summary>
    public static void WriteOneByOne(string dir, int count, long segmentBytes, long first = 1)
    {
        using var w = new JournalWriter(dir, JournalMode.Sync, first, segmentBytes);
        var waiter = new Waiter();
        for (long i = first; i < first + count; i++)
        {
            waiter.Reset();
            var (t, p) = Mixed(i);
            w.Append(t, p, waiter);
            waiter.Wait();
            Assert.Equal(i, waiter.Sequence);
        }
    }

    /// <summary>Byte offsets of every record in a segment file (walking length fields; no checks).</summary>
    public static List<(long Offset, int Size, long Sequence)> RecordOffsets(string path)
    {
        var data = File.ReadAllBytes(path);
        var list = new List<(long, int, long)>();
        long offset = JournalFormat.SegmentHeaderSize;
        while (offset + JournalFormat.RecordHeaderSize <= data.Length)
        {
            int size = JournalFormat.RecordHeaderSize + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)offset));
            long seq = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan((int)offset + 8));
            list.Add((offset, size, seq));
            offset += size;
        }
        return list;
    }

    public static void AssertMixed(IReadOnlyList<ReadRecord> records, long first, long last)
    {
        Assert.Equal(last - first + 1, records.Count);
        for (int k = 0; k < records.Count; k++)
        {
            long i = first + k;
            var (t, p) = Mixed(i);
            Assert.Equal(i, records[k].Sequence);
            Assert.Equal(t, records[k].Type);
            Assert.Equal(p, records[k].Payload);
        }
    }

    public static void Truncate(string path, long length)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.SetLength(length);
    }

    public static void FlipBit(string path, long offset, int bit)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        int b = f.ReadByte();
        f.Position = offset;
        f.WriteByte((byte)(b ^ (1 << bit)));
    }
}
