using System.Diagnostics;
using Hft.Configuration;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Journal;
using Hft.Node;
using Hft.Pipeline;
using Hft.Pipeline.Recovery;
using Hft.Pipeline.State;

namespace Hft.Benchmarks;

/// <summary>
/// <c>--recovery COMMANDS [dir]</c>: journals COMMANDS order commands through a real pipeline (development profile, 2
/// shards, journal mode async; a snapshot taken live half way), then measures start-up recovery from the full journal
/// (snapshot moved aside), recovery from the snapshot plus the journal tail, snapshot write, backup and verify times.
/// </summary>
public static class RecoveryBench
{
    public static void Run(string[] args)
    {
        long n = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        string dir = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "hft-recovery-bench-" + Guid.NewGuid().ToString("N"));
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        try
        {
            var gen = Stopwatch.StartNew();
            var node = Open(dir);
            var p = node.Pipeline;
            p.Start();
            var rng = new Random(42);
            var live = new long[4096];
            var liveAccount = new int[live.Length];
            var liveInst = new int[live.Length];
            int a1 = p.Accounts.GetOrAdd("A1"), a2 = p.Accounts.GetOrAdd("A2");
            SnapshotResult? mid = null;
            for (long i = 0; i < n; i++)
            {
                if (i == n / 2)
                {
                    Drain(p, i);
                    mid = p.Snapshots.Take(TimeSpan.FromSeconds(60), prune: false); // keep the full journal to measure its recovery
                }
                int roll = rng.Next(100);
                int slot = rng.Next(live.Length);
                OrderCommand cmd;
                if (live[slot] == 0)
                {
                    int inst = rng.Next(2);
                    long m = inst == 0 ? 5_000_000 : 300_000;
                    var side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
                    int account = rng.Next(2) == 0 ? a1 : a2;
                    long id = p.NextOrderId();
                    cmd = OrderCommand.NewLimit(id, account, inst, side, m + (side == Side.Buy ? -1 : 1) * rng.Next(-20, 300), 1 + rng.Next(50));
                    live[slot] = id;
                    liveAccount[slot] = account;
                    liveInst[slot] = inst;
                }
                else if (roll < 75)
                {
                    cmd = OrderCommand.Cancel(live[slot], liveAccount[slot], liveInst[slot]);
                    live[slot] = 0;
                }
                else
                {
                    cmd = OrderCommand.Replace(live[slot], liveAccount[slot], liveInst[slot], (liveInst[slot] == 0 ? 5_000_000 : 300_000) + rng.Next(-200, 200),
                        1 + rng.Next(60));
                }
                while (p.Submit(in cmd, null, 0) != AdmitResult.Accepted) Thread.Yield();
            }
            Drain(p, n);
            p.Stop(TimeSpan.FromSeconds(60));
            long records = p.Journal.Stats.LastSequence;
            long journalBytes = JournalReader.Segments(dir).Sum(s => new FileInfo(s.Path).Length);
            string hash = StateHash.Compute(p.Instruments, p.Shards.Select(s => s.Engine), p.RiskBook, p.Accounts.Name);
            Console.WriteLine($"generated {n:N0} commands -> {records:N0} journal records ({journalBytes / 1e6:N0} MB) in {gen.Elapsed.TotalSeconds:N1} s; "
                + $"live snapshot at seq {mid!.Sequence:N0}: {mid.Orders:N0} orders, {mid.Bytes:N0} bytes, {mid.Elapsed.TotalMilliseconds:N1} ms (paused {mid.Paused.TotalMilliseconds:N1} ms)");
            Close(node);
            p = null;
            node = null;
            GC.Collect();

            // full journal: the snapshot moved aside
            string aside = mid.Path + ".aside";
            File.Move(mid.Path, aside);
            var full = Open(dir);
            Report("full journal", full.Pipeline, records, hash);
            Close(full);
            full = null;
            GC.Collect();
            File.Move(aside, mid.Path);

            var tail = Open(dir);
            Report("snapshot + tail", tail.Pipeline, records, hash);
            var snap = Stopwatch.StartNew();
            var end = tail.Pipeline.Snapshots.Take(TimeSpan.FromSeconds(60), prune: false);
            Console.WriteLine($"snapshot at seq {end.Sequence:N0} ({end.Orders:N0} orders, {end.Bytes:N0} bytes): {snap.Elapsed.TotalMilliseconds:N1} ms");
            Close(tail);
            tail = null;
            GC.Collect();
            File.Delete(end.Path); // measure backup of snapshot(mid) + tail segments

            string backup = dir + ".tar.gz";
            var b = Stopwatch.StartNew();
            var manifest = JournalBackup.Create(dir, backup);
            double backupMs = b.Elapsed.TotalMilliseconds;
            b.Restart();
            var v = JournalBackup.Verify(backup);
            Console.WriteLine($"backup: {manifest.Files.Count} files, {manifest.Files.Sum(f => f.Bytes) / 1e6:N0} MB -> {new FileInfo(backup).Length / 1e6:N0} MB in {backupMs:N0} ms; "
                + $"verify {(v.Ok ? "OK" : "FAILED")} in {b.Elapsed.TotalMilliseconds:N0} ms");
            File.Delete(backup);
        }
        finally
        {
            if (args.Length <= 1 && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static void Drain(TradingPipeline p, long count)
    {
        while (p.Shards.Sum(s => s.Processed) < count) Thread.Sleep(1);
    }

    private static void Report(string label, TradingPipeline p, long records, string hash)
    {
        var r = p.Recovery;
        string h = StateHash.Compute(p.Instruments, p.Shards.Select(s => s.Engine), p.RiskBook, p.Accounts.Name);
        Console.WriteLine($"recovery ({label}): snapshot seq {r.SnapshotSequence:N0}, {r.RecordsReplayed:N0} records replayed in {r.Elapsed.TotalMilliseconds:N0} ms = "
            + $"{r.RecordsReplayed / r.Elapsed.TotalSeconds / 1e6:N2} M records/s; total journal {records:N0} -> {records / r.Elapsed.TotalSeconds / 1e6:N2} M journal records/s; "
            + $"state hash {(h == hash ? "matches" : "DIFFERS")}");
    }

    /// <summary>A recovery-only node: it holds the directory until <see cref="Close"/>, as a server process would.</summary>
    private static TradingNode Open(string dir)
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with
        {
            Journal = config.Journal with { Dir = dir, Mode = "async", SnapshotIntervalSeconds = 0 },
            Trading = config.Trading with { MaxOrdersPerSecond = 0 },
        };
        // Built by the server's composition root (its publishers keep the directory and tape as in the server).
        return TradingNode.Create(config, logging: _ => { }, listen: false);
    }

    /// <summary>Ends a node never started: its journal closed, its directory released, no shutdown snapshot.</summary>
    private static void Close(TradingNode node) => node.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
