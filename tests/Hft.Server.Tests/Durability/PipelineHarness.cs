using System.Diagnostics;
using Hft.Configuration;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Journal;
using Hft.Pipeline;
using Hft.Node;
using Hft.Pipeline.State;

namespace Hft.Server.Tests.Durability;

/// <summary>A development-profile pipeline journaling (async) into a directory, fed a deterministic random order flow.</summary>
public static class PipelineHarness
{
    public static HftConfig Config(string dir, int workers = 2) 
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        return config with
        {
            Journal = config.Journal with { Dir = dir, Mode = "async", SnapshotIntervalSeconds = 0, FsyncIntervalMs = 2 },
            Trading = config.Trading with { MaxOrdersPerSecond = 0 },
            System = config.System with { MaxWorkers = workers },
        };
    }

    /// <summary>
    /// A node on <paramref name="dir"/> (see <see cref="Node"/>). It holds the directory locked until it is disposed:
    /// dispose it before opening the directory again, as a restart follows the end of the previous process.
    /// </summary>
    public static TradingNode Open(string dir, int workers = 2, bool repair = false)
    {
        var c = Config(dir, workers);
        if (repair) c = c with { Journal = c.Journal with { Repair = true } };
        return Node(c);
    }

    /// <summary>A node built by the composition root without listeners (not started: disposing it writes no snapshot).</summary>
    public static TradingNode Node(HftConfig config) => TradingNode.Create(config, logging: _ => { }, listen: false);

    public static string Hash(TradingPipeline p)
        => StateHash.Compute(p.Instruments, p.Shards.Select(s => s.Engine), p.RiskBook, p.Accounts.Name);

    /// <summary>Submits <paramref name="count"/> commands (limits that rest and cross, cancels, replaces, market orders) and waits until processed and durable.</summary>
    public static void Flow(TradingPipeline p, int seed, int count)
    {
        var rng = new Random(seed);
        int a1 = p.Accounts.GetOrAdd("A1"), a2 = p.Accounts.GetOrAdd("A2");
        var live = new List<(long Id, int Account, int Instrument)>();
        long before = p.Shards.Sum(s => s.Processed);
        for (int i = 0; i < count; i++)
        {
            int roll = rng.Next(100);
            OrderCommand cmd;
            if (roll < 70 || live.Count == 0)
            {
                int inst = rng.Next(2);
                long mid = inst == 0 ? 5_000_000 : 300_000;
                var side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
                int account = rng.Next(2) == 0 ? a1 : a2;
                long id = p.NextOrderId();
                cmd = OrderCommand.NewLimit(id, account, inst, side, mid + (side == Side.Buy ? -1 : 1) * rng.Next(-20, 200), 1 + rng.Next(50),
                    stp: (SelfTradePrevention)rng.Next(4));
                live.Add((id, account, inst));
            }
            else if (roll < 82)
            {
                var (id, account, inst) = live[rng.Next(live.Count)];
                cmd = OrderCommand.Cancel(id, account, inst);
            }
            else if (roll < 94)
            {
                var (id, account, inst) = live[rng.Next(live.Count)];
                cmd = OrderCommand.Replace(id, account, inst, (inst == 0 ? 5_000_000 : 300_000) + rng.Next(-150, 150), 1 + rng.Next(60));
            }
            else
            {
                cmd = OrderCommand.NewMarket(p.NextOrderId(), rng.Next(2) == 0 ? a1 : a2, rng.Next(2), rng.Next(2) == 0 ? Side.Buy : Side.Sell, 1 + rng.Next(30));
            }
            while (p.Submit(in cmd, null, Stopwatch.GetTimestamp()) == AdmitResult.Overloaded) Thread.Yield();
        }
        Assert.True(SpinWait.SpinUntil(() => p.Shards.Sum(s => s.Processed) >= before + count, 30_000), "the shards did not process every command");
        Assert.True(p.Journal.WaitSynced(p.Journal.Stats.LastSequence, TimeSpan.FromSeconds(10)));
    }
}

/// <summary>A temporary data directory.</summary>
public sealed class DataDir : IDisposable
{
    public DataDir() => Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hft-durability-" + Guid.NewGuid().ToString("N"));

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

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
