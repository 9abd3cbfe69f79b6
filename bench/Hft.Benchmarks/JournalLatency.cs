using System.Diagnostics;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Journal;
using Hft.Pipeline.Durability;

namespace Hft.Benchmarks;

/// <summary>
/// <c>--journal-latency [seconds] [dir]</c>: for each mode (async, sync) and 1 and 2 appending threads, two runs of
/// <c>seconds</c> each on a fresh journal directory:
/// <list type="bullet">
/// <item><b>open loop</b>: appenders append 48-byte command records as fast as they can, never waiting (throughput:
/// records/s, fsyncs/s, bytes/s, records per batch).</item>
/// <item><b>closed loop</b>: each appender appends one record and waits for its callback before the next, as a client
/// awaiting its acknowledgment; a Stopwatch measures Append → OnDurable per record (p50/p99/p99.9/max).</item>
/// </list>
/// Closed loops run first, and the file system is synced between runs, so that one run's writeback does not land in
/// the next run's fsyncs.
/// </summary>
public static class JournalLatency
{
    public static void Run(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
        string root = args.Length > 1 ? args[1] : Path.GetTempPath();
        var payload = new byte[CommandCodec.Size];
        CommandCodec.Write(payload, OrderCommand.NewLimit(1, 2, 3, Side.Buy, 100_000, 25), shard: 0);
        Console.WriteLine($"journal: {seconds:0.#} s per run, 48-byte command payloads ({JournalFormat.RecordHeaderSize + CommandCodec.Size} bytes per record), dir {root}");
        Console.WriteLine("| mode | threads | loop | records/s | fsyncs/s | MB/s | records/batch | p50 µs | p99 µs | p99.9 µs | max µs |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        // Closed loops first: the open loops write hundreds of MB whose writeback (and deletion) would slow the fsyncs
        // of whatever runs next; between runs the file system is synced and left to settle.
        foreach (bool closedLoop in new[] { true, false })
            foreach (var mode in new[] { JournalMode.Async, JournalMode.Sync })
                foreach (int threads in new[] { 1, 2 })
                {
                    Settle();
                    Measure(mode, threads, closedLoop, seconds, root, payload);
                }
    }

    private static void Settle()
    {
        try
        {
            using var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false });
            sync?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        Thread.Sleep(500);
    }

    private static void Measure(JournalMode mode, int threads, bool closedLoop, double seconds, string root, byte[] payload)
    {
        string dir = Path.Combine(root, "hft-journal-latency-" + Guid.NewGuid().ToString("N"));
        var latencies = new List<long>[threads];
        JournalStats stats;
        double elapsed;
        try
        {
            using (var writer = new JournalWriter(dir, mode, 1))
            {
                // The pipeline's way to wait for a record: the journal's listener is a durable outbox.
                var outbox = new DurableOutbox(0);
                writer.Listener = outbox;
                void AppendAndWait()
                {
                    long seq = writer.Append(RecordType.Command, payload);
                    writer.Flush();
                    if (!DurableSignal.Wait(outbox, seq, TimeSpan.FromSeconds(30))) throw new InvalidOperationException("journal failed");
                }
                // Warm-up: JIT, first segment, page cache.
                for (int i = 0; i < 2000; i++) AppendAndWait();
                var before = writer.Stats;
                var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
                var sw = Stopwatch.StartNew();
                var workers = new Thread[threads];
                for (int t = 0; t < threads; t++)
                {
                    int me = t;
                    latencies[me] = new List<long>(1 << 20);
                    workers[t] = new Thread(() =>
                    {
                        var mine = latencies[me];
                        if (closedLoop)
                        {
                            while (Stopwatch.GetTimestamp() < stopAt)
                            {
                                long start = Stopwatch.GetTimestamp();
                                AppendAndWait();
                                mine.Add(Stopwatch.GetTimestamp() - start);
                            }
                        }
                        else
                        {
                            while (Stopwatch.GetTimestamp() < stopAt)
                            {
                                for (int i = 0; i < 1000; i++) writer.Append(RecordType.Command, payload);
                            }
                            // The last record of this thread, acknowledged: everything before it is durable too.
                            AppendAndWait();
                        }
                    });
                    workers[t].Start();
                }
                foreach (var w in workers) w.Join();
                elapsed = sw.Elapsed.TotalSeconds;
                var after = writer.Stats;
                stats = new JournalStats(after.Records - before.Records, after.Batches - before.Batches, after.Fsyncs - before.Fsyncs,
                    after.Bytes - before.Bytes, after.LastSequence, after.Segments);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }

        string Us(long ticks) => (ticks * 1e6 / Stopwatch.Frequency).ToString("N1");
        string pcts = "–| –| –| –";
        if (closedLoop)
        {
            var all = latencies.SelectMany(l => l).ToArray();
            Array.Sort(all);
            long P(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))];
            pcts = $"{Us(P(0.50))} | {Us(P(0.99))} | {Us(P(0.999))} | {Us(all[^1])}";
        }
        Console.WriteLine($"| {mode.ToString().ToLowerInvariant()} | {threads} | {(closedLoop ? "closed" : "open")} | {stats.Records / elapsed:N0} | {stats.Fsyncs / elapsed:N0} | " +
            $"{stats.Bytes / elapsed / 1e6:N1} | {(double)stats.Records / Math.Max(1, stats.Batches):N1} | {pcts} |");
    }
}
