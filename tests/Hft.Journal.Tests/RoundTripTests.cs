using System.Buffers.Binary;

namespace Hft.Journal.Tests;

public sealed class RoundTripTests
{
    [Theory]
    [InlineData(JournalMode.Sync)]
    [InlineData(JournalMode.Async)]
    public void Records_of_both_types_come_back_in_order_with_their_payloads(JournalMode mode)
    {
        using var dir = new TempDir();
        var cb = new CallbackLog();
        long before = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        using (var w = new JournalWriter(dir.Path, mode, 1, fsyncIntervalMs: 2))
        {
            Assert.Equal(mode, w.Mode);
            for (long i = 1; i <= 500; i++)
            {
                var (t, p) = J.Mixed(i);
                Assert.Equal(i, w.Append(t, p, cb));
            }
            cb.WaitFor(500);
            var stats = w.Stats;
            Assert.Equal(500, stats.Records);
            Assert.Equal(500, stats.LastSequence);
            Assert.Equal(1, stats.Segments);
            Assert.Null(w.Failure);
        }
        long after = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

        var records = J.ReadAll(dir.Path, out var result);
        J.AssertMixed(records, 1, 500);
        Assert.All(records, r => Assert.InRange(r.TimestampMicros, before, after));
        Assert.Equal(500, result.RecordsRead);
        Assert.Equal(500, result.RecordsDelivered);
        Assert.Equal(500, result.LastSequence);
        Assert.Equal(1, result.Segments);
        Assert.Empty(result.Warnings);

        // Once per record, with the record's own sequence.
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), cb.Calls.Order());
    }

    [Fact]
    public void Mode_none_writes_nothing_and_calls_back_at_once()
    {
        using var dir = new TempDir();
        string sub = Path.Combine(dir.Path, "journal");
        var cb = new CallbackLog();
        using (var w = new JournalWriter(sub, JournalMode.None, 10))
        {
            for (long i = 10; i < 20; i++)
            {
                Assert.Equal(i, w.Append(RecordType.Command, J.Command(i), cb));
                Assert.Equal(i - 9, cb.Count); // synchronously, on the appending thread
            }
            Assert.Equal(19, w.DurableSequence);
            Assert.Equal(10, w.Stats.Records);
            Assert.Equal(0, w.Stats.Bytes);
            Assert.Equal(0, w.Stats.Fsyncs);
        }
        Assert.False(Directory.Exists(sub));
        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), cb.Calls);
    }

    [Fact]
    public void AfterSequence_skips_earlier_records_but_reports_them_read()
    {
        using var dir = new TempDir();
        J.WriteMixed(dir.Path, 100);
        var records = J.ReadAll(dir.Path, out var result, afterSequence: 60);
        J.AssertMixed(records, 61, 100);
        Assert.Equal(100, result.RecordsRead);
        Assert.Equal(40, result.RecordsDelivered);
        Assert.Equal(100, result.LastSequence);

        Assert.Empty(J.ReadAll(dir.Path, out result, afterSequence: 100));
        Assert.Equal(100, result.LastSequence);
        Assert.Empty(J.ReadAll(dir.Path, out result, afterSequence: 1000));
        Assert.Equal(1000, result.LastSequence);
    }

    [Fact]
    public void Sync_mode_callback_runs_after_the_record_is_in_the_file()
    {
        using var dir = new TempDir();
        var seen = new List<(long Sequence, bool Found)>();
        var cb = new CallbackLog
        {
            OnCall = seq =>
            {
                // Another handle, opened inside the callback, must already see the whole record with a good CRC.
                lock (seen) seen.Add((seq, FindRecord(dir.Path, seq)));
            },
        };
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, 1))
        {
            for (long i = 1; i <= 50; i++)
            {
                var (t, p) = J.Mixed(i);
                w.Append(t, p, cb);
                if (i % 10 == 0) cb.WaitFor((int)i);
            }
            cb.WaitFor(50);
            Assert.Equal(50, w.DurableSequence);
            Assert.True(w.Stats.Fsyncs >= w.Stats.Batches, $"{w.Stats}");
        }
        Assert.Equal(50, seen.Count);
        Assert.All(seen, s => Assert.True(s.Found, $"record {s.Sequence} not in the file when its callback ran"));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), seen.Select(s => s.Sequence).Order());
    }

    [Fact]
    public void Async_mode_fsyncs_on_its_interval_and_at_dispose()
    {
        using var dir = new TempDir();
        var cb = new CallbackLog();
        JournalStats stats;
        using (var w = new JournalWriter(dir.Path, JournalMode.Async, 1, fsyncIntervalMs: 5))
        {
            w.Append(RecordType.Command, J.Command(1), cb);
            cb.WaitFor(1);
            Assert.True(SpinWait.SpinUntil(() => w.Stats.Fsyncs >= 1, 5_000), "no fsync within the interval");
            w.Append(RecordType.Command, J.Command(2), cb);
            cb.WaitFor(2);
            stats = w.Stats;
        }
        Assert.Equal(2, stats.Records);
        Assert.Equal(2, J.ReadAll(dir.Path).Count);
    }

    private static bool FindRecord(string dir, long seq)
    {
        foreach (var (path, _) in JournalReader.Segments(dir))
        {
            byte[] data;
            using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                data = new byte[f.Length];
                f.ReadExactly(data);
            }
            long offset = JournalFormat.SegmentHeaderSize;
            while (offset + JournalFormat.RecordHeaderSize <= data.Length)
            {
                var rest = data.AsSpan((int)offset);
                int size = JournalFormat.RecordHeaderSize + (int)BinaryPrimitives.ReadUInt32LittleEndian(rest);
                if (size > rest.Length) break;
                if (BinaryPrimitives.ReadInt64LittleEndian(rest[8..]) == seq)
                    return Crc32C.Compute(rest[8..size]) == BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]);
                offset += size;
            }
        }
        return false;
    }
}
