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

    /// <summary>When set, every event the engines emit is written here, one line each.</summary>
    public List<string>? Log { get; set; }

    public void Run(OrderCommand cmd)
    {
        if (cmd.Op == CommandOp.Expire)
        {
            for (int shard = 0; shard < Engines.Length; shard++) Apply(Engines[shard], Stages[shard], cmd);
            return;
        }
        var (engine, stage) = ShardOf(cmd.Instrument);
        if (cmd.Op is CommandOp.New or CommandOp.Replace && engine.Validate(in cmd) == Hft.Core.Events.RejectReason.None)
            cmd.EdgeReject = stage.Check(ref cmd);
        Apply(engine, stage, cmd);
    }

    private void Apply(MatchingEngine engine, RiskStage stage, in OrderCommand cmd)
    {
        var events = engine.Process(in cmd);
        if (Log is { } log)
            foreach (ref readonly var e in events)
                log.Add($"{e.Kind} {e.Op} {e.Side} {e.RejectReason} {e.CancelReason} {e.Instrument} {e.Account} {e.MakerAccount} {e.OrderId} "
                    + $"{e.MakerOrderId} {e.Price} {e.Quantity} {e.Remaining} {e.MakerRemaining}");
        stage.Apply(events);
    }

    /// <summary>
    /// Random flow of every order type: limits (some icebergs, some good till date), stops, stop limits, take profits
    /// (some good till date, some icebergs once fired) triggering near the mid, market orders that move the last trade,
    /// cancels, replaces (of stops too, trigger included) and expiry runs on a clock that only moves forward.
    /// </summary>
    public void RandomOrderTypeFlow(int seed, int count)
    {
        var rng = new Random(seed);
        var live = new List<(long Id, int Account, int Instrument)>();
        for (int i = 0; i < count; i++)
        {
            int roll = rng.Next(100);
            int inst = rng.Next(2);
            long mid = inst == 0 ? 5_000_000 : 300_000;
            var side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
            int account = 1 + rng.Next(3);
            var stp = (SelfTradePrevention)rng.Next(4);
            var tif = rng.Next(4) == 0 ? TimeInForce.Gtd : TimeInForce.Gtc;
            long expire = tif == TimeInForce.Gtd ? _clock + 1 + rng.Next(40) : 0;
            if (roll < 45 || live.Count == 0)
            {
                long id = ++_nextId;
                long price = mid + (side == Side.Buy ? -1 : 1) * rng.Next(-20, 200);
                var cmd = OrderCommand.NewLimit(id, account, inst, side, price, 1 + rng.Next(50), tif, postOnly: rng.Next(10) == 0, stp: stp);
                cmd.ExpireTime = expire;
                if (rng.Next(3) == 0) cmd.DisplayQuantity = 1 + rng.Next(8);
                Run(cmd);
                live.Add((id, account, inst));
            }
            else if (roll < 65)
            {
                long id = ++_nextId;
                var type = (OrderType)((int)OrderType.Stop + rng.Next(4));
                long trigger = mid + rng.Next(-150, 150);
                long price = trigger + (side == Side.Buy ? 1 : -1) * rng.Next(0, 100);
                var cmd = OrderCommand.NewTriggered(id, account, inst, side, type, trigger, price, 1 + rng.Next(40), tif, stp);
                cmd.ExpireTime = expire;
                if (type.HasLimitPrice() && rng.Next(4) == 0) cmd.DisplayQuantity = 1 + rng.Next(8);
                Run(cmd);
                live.Add((id, account, inst));
            }
            else if (roll < 75)
            {
                var (id, acc, ins) = live[rng.Next(live.Count)];
                Run(OrderCommand.Cancel(id, acc, ins));
            }
            else if (roll < 85)
            {
                var (id, acc, ins) = live[rng.Next(live.Count)];
                long m = ins == 0 ? 5_000_000 : 300_000;
                var cmd = OrderCommand.Replace(id, acc, ins, m + rng.Next(-150, 150), 1 + rng.Next(60));
                if (rng.Next(3) == 0) cmd.TriggerPrice = m + rng.Next(-150, 150);
                Run(cmd);
            }
            else if (roll < 95)
            {
                Run(OrderCommand.NewMarket(++_nextId, account, inst, side, 1 + rng.Next(30)));
            }
            else
            {
                Run(OrderCommand.Expire(_clock += 1 + rng.Next(6)));
            }
        }
    }

    private long _clock = 1;

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

    public SnapshotData Capture(long sequence) => SnapshotStore.Capture(sequence, _nextId, Instruments, Engines, Risk, Name, riskOf: i => Stages[i]);

    /// <summary>The expiry clock of <see cref="RandomOrderTypeFlow"/> (restored worlds take it from the original).</summary>
    public long Clock => _clock;

    /// <summary>A fresh world with the snapshot restored into it.</summary>
    public static SnapshotWorld Restored(SnapshotData data, long clock = 1)
    {
        var w = new SnapshotWorld();
        SnapshotStore.Restore(data, w.Instruments, w.Risk, w.ShardOf, name => int.Parse(name.AsSpan(3)));
        w._nextId = data.NextOrderId;
        w._clock = clock;
        return w;
    }
}
