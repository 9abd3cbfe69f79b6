using System.Text;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;
using Hft.Risk;

namespace Hft.Journal.Tests.Snapshots;

/// <summary>Two instruments over two engines (one per instrument) sharing one risk book, fed a deterministic random flow.</summary>
public sealed class SnapshotWorld
{
    public InstrumentRegistry Instruments { get; } = new();
    public RiskBook Risk { get; } = new();
    public MatchingEngine[] Engines { get; } = [new(), new()];
    public RiskStage[] Stages { get; }
    private long _nextId;

    public SnapshotWorld()
    {
        Stages = [new RiskStage(null, Risk), new RiskStage(null, Risk)];
        Add("BTCUSD", "0.01", "0.0001", 0);
        Add("ETHUSD", "0.01", "0.001", 1);
        for (int a = 1; a <= 4; a++) Risk.Account(a);
    }

    private void Add(string symbol, string tick, string lot, int shard)
    {
        ScaledUnit.TryParse(Encoding.ASCII.GetBytes(tick), out var t, out _);
        ScaledUnit.TryParse(Encoding.ASCII.GetBytes(lot), out var l, out _);
        Assert.True(Instruments.TryAdd(symbol, t, l, out var inst, out _));
        Engines[shard].AddInstrument(inst);
        Risk.AddInstrument(inst);
    }

    public static string Name(int account) => account == 0 ? "" : "ACC" + account;

    public (MatchingEngine Engine, RiskStage Risk) ShardOf(int instrument) => (Engines[instrument], Stages[instrument]);

    public string Hash() => StateHash.Compute(Instruments, Engines, Risk, Name);

    public long NextOrderId => _nextId;

    public static Amount A(string text)
    {
        Assert.True(Amount.TryParse(Encoding.ASCII.GetBytes(text), out var a));
        return a;
    }

    /// <summary>Sets limits, band, mark, a halt and a disabled account: every kind of non-book state.</summary>
    public void Configure()
    {
        var a1 = Risk.Account(1);
        a1.Declared = true;
        a1.Limits = new AccountLimits
        {
            Credit = A("100000000"), MaxOrderQty = A("1000"), MaxOpenOrders = 5000,
            MakerFeeBps = A("1"), TakerFeeBps = A("2"),
        };
        var a2 = Risk.Account(2);
        a2.Declared = true;
        a2.Limits = new AccountLimits { MakerFeeBps = A("-1"), TakerFeeBps = A("3") };
        Risk.Account(4).Enabled = false;
        Risk.Instrument(0)!.BandPct = A("10");
        Risk.Instrument(0)!.Mark = 5_000_000;
        Risk.Instrument(1)!.Mark = 300_000;
    }

    public void Run(OrderCommand cmd)
    {
        var (engine, stage) = ShardOf(cmd.Instrument);
        if (cmd.Op is CommandOp.New or CommandOp.Replace && engine.Validate(in cmd) == Hft.Core.Events.RejectReason.None)
            cmd.EdgeReject = stage.Check(ref cmd);
        var events = engine.Process(in cmd);
        stage.Apply(events);
    }

    /// <summary>Random limits (resting and crossing: partial fills), cancels, replaces, market orders.</summary>
    public void RandomFlow(int seed, int count)
    {
        var rng = new Random(seed);
        var live = new List<(long Id, int Account, int Instrument)>();
        for (int i = 0; i < count; i++)
        {
            int roll = rng.Next(100);
            if (roll < 70 || live.Count == 0)
            {
                int inst = rng.Next(2);
                long mid = inst == 0 ? 5_000_000 : 300_000;
                var side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
                long price = mid + (side == Side.Buy ? -1 : 1) * rng.Next(-20, 200);
                int account = 1 + rng.Next(3);
                long id = ++_nextId;
                var stp = (SelfTradePrevention)rng.Next(4);
                Run(OrderCommand.NewLimit(id, account, inst, side, price, 1 + rng.Next(50), postOnly: rng.Next(10) == 0, stp: stp));
                live.Add((id, account, inst));
            }
            else if (roll < 82)
            {
                var (id, account, inst) = live[rng.Next(live.Count)];
                Run(OrderCommand.Cancel(id, account, inst));
            }
            else if (roll < 94)
            {
                var (id, account, inst) = live[rng.Next(live.Count)];
                long mid = inst == 0 ? 5_000_000 : 300_000;
                Run(OrderCommand.Replace(id, account, inst, mid + rng.Next(-150, 150), 1 + rng.Next(60)));
            }
            else
            {
                int inst = rng.Next(2);
                Run(OrderCommand.NewMarket(++_nextId, 1 + rng.Next(3), inst, rng.Next(2) == 0 ? Side.Buy : Side.Sell, 1 + rng.Next(30)));
            }
        }
    }

    public SnapshotData Capture(long sequence) => SnapshotStore.Capture(sequence, _nextId, Instruments, Engines, Risk, Name);

    /// <summary>A fresh world with the snapshot restored into it.</summary>
    public static SnapshotWorld Restored(SnapshotData data)
    {
        var w = new SnapshotWorld();
        SnapshotStore.Restore(data, w.Instruments, w.Risk, w.ShardOf, name => int.Parse(name.AsSpan(3)));
        w._nextId = data.NextOrderId;
        return w;
    }
}
