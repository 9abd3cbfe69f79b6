using System.Buffers.Binary;

namespace Hft.Journal.Tests;

public sealed class ConcurrencyTests
{
    [Theory]
    [InlineData(JournalMode.Sync)]
    [InlineData(JournalMode.Async)]
    public void Concurrent_appends_get_unique_gap_free_sequences_in_file_order(JournalMode mode)
    {
        const int threads = 4, perThread = 3000;
        using var dir = new TempDir();
        var cb = new CallbackLog();
        var returned = new long[threads][];
        using (var w = new JournalWriter(dir.Path, mode, 1, segmentBytes: 64 << 10, fsyncIntervalMs: 2))
        {
            using var start = new Barrier(threads);
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                returned[t] = new long[perThread];
                var payload = new byte[16];
                start.SignalAndWait();
                for (int i = 0; i < perThread; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(payload, t);
                    BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), i);
                    returned[t][i] = w.Append(RecordType.Admin, payload, cb);
                }
            })).ToList();
            workers.ForEach(x => x.Start());
            workers.ForEach(x => x.Join());
            cb.WaitFor(threads * perThread, 30_000);
            Assert.Null(w.Failure);
        }

        const long total = threads * perThread;
        // Every callback fired exactly once, for exactly the sequences handed out.
        Assert.Equal(total, cb.Count);
        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), cb.Calls.Order());
        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), returned.SelectMany(r => r).Order());

        // File order is sequence order, gap-free; each record is where its Append said; each thread's own order holds.
        var records = J.ReadAll(dir.Path, out var result);
        Assert.Empty(result.Warnings);
        Assert.Equal(total, records.Count);
        var lastOfThread = new int[threads];
        Array.Fill(lastOfThread, -1);
        for (int k = 0; k < records.Count; k++)
        {
            Assert.Equal(k + 1, records[k].Sequence);
            int t = BinaryPrimitives.ReadInt32LittleEndian(records[k].Payload);
            int i = BinaryPrimitives.ReadInt32LittleEndian(records[k].Payload.AsSpan(4));
            Assert.Equal(returned[t][i], records[k].Sequence);
            Assert.Equal(lastOfThread[t] + 1, i);
            lastOfThread[t] = i;
        }
    }

    [Fact]
    public void Group_commit_batches_concurrent_appenders_into_fewer_fsyncs()
    {
        // Each appender waits for its record to be durable before the next (as a client awaiting its ack would), so
        // without group commit there would be one fsync per record.
        const int threads = 8, perThread = 60;
        using var dir = new TempDir();
        JournalStats stats;
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, 1))
        {
            using var start = new Barrier(threads);
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                var waiter = new Waiter();
                start.SignalAndWait();
                for (int i = 0; i < perThread; i++)
                {
                    waiter.Reset();
                    long seq = w.Append(RecordType.Command, J.Command(i, t), waiter);
                    waiter.Wait();
                    Assert.Equal(seq, waiter.Sequence);
                }
            })).ToList();
            workers.ForEach(x => x.Start());
            workers.ForEach(x => x.Join());
            stats = w.Stats;
        }
        Assert.Equal(threads * perThread, stats.Records);
        Assert.True(stats.Fsyncs < stats.Records, $"no batching: {stats}");
        Assert.True(stats.Batches < stats.Records, $"no batching: {stats}");
        Assert.Equal(threads * perThread, J.ReadAll(dir.Path).Count);
    }
}
