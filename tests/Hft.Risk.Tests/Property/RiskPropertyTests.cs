using System.Globalization;
using CsCheck;
using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;
using Hft.Risk.Tests.Support;

namespace Hft.Risk.Tests.Property;

/// <summary>
/// Random markets and streams through Validate → Check → Process → Apply, checked after every step against the
/// test's own bookkeeping (<see cref="RiskModel"/>).
/// </summary>
public class RiskPropertyTests
{
    private static readonly Gen<(int[] Config, int[][] Rows)> Streams =
        Gen.Select(Gen.Int[0, 999].Array[40], Gen.Int[0, 999].Array[8].Array[1, 250]);

    [Fact]
    public void Risk_decisions_positions_exposure_and_open_orders_match_an_independent_model()
        => Streams.Sample(t => Run(Scenario.Build(t.Config, t.Rows)), iter: 400);

    [Fact]
    public void Long_streams_with_small_tables()
        => Gen.Select(Gen.Int[0, 999].Array[40], Gen.Int[0, 999].Array[8].Array[1500, 2500])
            .Sample((config, rows) => Run(Scenario.Build(config, rows)), iter: 12);

    private static decimal D(Amount a) => decimal.Parse(a.ToString(), CultureInfo.InvariantCulture);

    private static void Run(Scenario s)
    {
        var p = new RiskPipeline(new RiskOptions { RejectUndeclaredAccounts = true, OpenOrderCapacity = 4 },
            new EngineOptions { OrderCapacity = 64, OrderIdCapacity = 64, LevelCapacity = 4, EventCapacity = 8 },
            Scenario.Grids.Select(g => (g.Tick, g.Lot)).ToArray());
        for (int i = 0; i < Scenario.Grids.Length; i++)
        {
            if (s.Bands[i] is { } band) p.Inst(i).BandPct = Ev.A(band.ToString(CultureInfo.InvariantCulture));
            p.Inst(i).Mark = s.Marks[i];
        }
        for (int a = 1; a <= Scenario.Accounts; a++) p.Declare(a, s.Limits[a].ToRisk());
        var model = new RiskModel(s);
        var decisions = new int[32];

        for (int step = 0; step < s.Steps.Count; step++)
        {
            var st = s.Steps[step];
            string at = $"step {step} {st.Kind} {st.Command.Op} id={st.Command.OrderId}";
            switch (st.Kind)
            {
                case StepKind.Mark:
                    p.Inst(st.Instrument).Mark = st.Price;
                    model.Marks[st.Instrument] = st.Price;
                    break;
                case StepKind.Halt:
                case StepKind.Resume:
                    p.Inst(st.Instrument).Halted = model.Halted[st.Instrument] = st.Kind == StepKind.Halt;
                    break;
                case StepKind.Enable:
                    p.Risk.Account(st.Account).Enabled = model.Enabled[st.Account] = true;
                    break;
                case StepKind.Kill:
                {
                    model.Enabled[st.Account] = false;
                    var events = p.Kill(st.Account);
                    Assert.All(events, e => Assert.Equal(CancelReason.AccountDisabled, e.CancelReason));
                    model.Apply(events);
                    Assert.Equal(0, p.LiveOrdersOf(st.Account));
                    break;
                }
                case StepKind.Command:
                    RunCommand(p, model, st.Command, at, decisions);
                    break;
            }
            CheckState(p, model, at);
        }
    }

    private static void RunCommand(RiskPipeline p, RiskModel model, OrderCommand cmd, string at, int[] decisions)
    {
        if (cmd.Op is CommandOp.New or CommandOp.Replace && p.Engine.Validate(in cmd) == RejectReason.None)
        {
            var violations = model.Violations(in cmd);
            var original = cmd;
            var reason = p.Risk.Check(ref cmd);
            cmd.EdgeReject = reason;
            decisions[(int)reason]++;
            // (a) accepted ⇒ within every limit under the worst-case definitions; rejected ⇒ for its first broken limit
            Assert.True(reason == (violations.Count > 0 ? violations[0] : RejectReason.None),
                $"{at}: risk said {reason}, model finds [{string.Join(", ", violations)}]");
            if (reason == RejectReason.None && original.Type == OrderType.Market && original.Op == CommandOp.New)
            {
                long? protection = model.Protection(cmd.Instrument, cmd.Side);
                Assert.Equal(protection is not null, cmd.HasPrice);
                if (protection is { } edge) Assert.Equal(edge, cmd.Price);
            }
        }
        var events = p.Engine.Process(in cmd);
        p.Risk.Apply(events);
        foreach (var e in events)
        {
            if (e.Kind != EventKind.Trade) continue;
            Assert.True(model.Enabled[e.Account] && model.Enabled[e.MakerAccount], $"{at}: a disabled account traded");
            if (cmd.Op == CommandOp.New && cmd.Type == OrderType.Market && cmd.HasPrice)
                Assert.True(cmd.Side == Side.Buy ? e.Price <= cmd.Price : e.Price >= cmd.Price, $"{at}: market order traded beyond its band");
        }
        model.Apply(events);
    }

    private static void CheckState(RiskPipeline p, RiskModel model, string at)
    {
        var engineLive = new Dictionary<long, OrderView>();
        var buffer = new OrderView[p.Engine.Orders.Capacity];
        foreach (var book in p.Engine.Books)
            foreach (var side in new[] { Side.Buy, Side.Sell })
            {
                int n = book.CopyOrders(side, buffer);
                for (int k = 0; k < n; k++) engineLive.Add(buffer[k].OrderId, buffer[k]);
            }
        // the model's open orders are the engine's live orders
        Assert.Equal(engineLive.Count, model.Open.Count);
        foreach (var o in model.Open.Values)
        {
            Assert.True(engineLive.TryGetValue(o.Id, out var live), $"{at}: model order {o.Id} not live in the engine");
            Assert.Equal((o.Account, o.Side, o.Price, o.Remaining), (live.Account, live.Side, live.Price, live.Remaining));
        }
        Assert.Equal(engineLive.Count, p.Risk.OpenOrderCount);

        for (int i = 0; i < Scenario.Grids.Length; i++)
        {
            long sum = 0;
            for (int a = 1; a <= Scenario.Accounts; a++)
            {
                ref var pos = ref p.Risk.Account(a).Position(i);
                // (b) the position is the signed sum of the account's trades
                Assert.True(model.Position(a, i) == pos.Position, $"{at}: account {a} instrument {i} position {pos.Position}, trades say {model.Position(a, i)}");
                Assert.Equal(model.OpenQty(a, i, Side.Buy), pos.OpenBuy);
                Assert.Equal(model.OpenQty(a, i, Side.Sell), pos.OpenSell);
                sum += pos.Position;
            }
            // (c) every trade has two sides
            Assert.True(sum == 0, $"{at}: positions of instrument {i} sum to {sum}");
        }
        for (int a = 1; a <= Scenario.Accounts; a++)
        {
            var account = p.Risk.Account(a);
            // (d) exposure recomputed from scratch
            Assert.True(model.Exposure(a) == D(p.Risk.Exposure(account)),
                $"{at}: account {a} exposure {p.Risk.Exposure(account)}, model {model.Exposure(a)}");
            // (e) open orders = the engine's live orders of the account
            int live = engineLive.Values.Count(o => o.Account == a);
            Assert.True(live == account.OpenOrders, $"{at}: account {a} has {live} live orders, risk counts {account.OpenOrders}");
        }
    }

    /// <summary>The generator reaches every risk outcome, so the property is not passing vacuously.</summary>
    [Fact]
    public void Streams_exercise_every_risk_reason()
    {
        var seen = new HashSet<RejectReason>();
        var random = new Random(7);
        for (int n = 0; n < 200 && seen.Count < 10; n++)
        {
            var config = Enumerable.Range(0, 40).Select(_ => random.Next(1000)).ToArray();
            var rows = Enumerable.Range(0, 250).Select(_ => Enumerable.Range(0, 8).Select(_ => random.Next(1000)).ToArray()).ToArray();
            var s = Scenario.Build(config, rows);
            var p = new RiskPipeline(new RiskOptions { RejectUndeclaredAccounts = true }, null, Scenario.Grids.Select(g => (g.Tick, g.Lot)).ToArray());
            for (int i = 0; i < Scenario.Grids.Length; i++)
            {
                if (s.Bands[i] is { } band) p.Inst(i).BandPct = Ev.A(band.ToString(CultureInfo.InvariantCulture));
                p.Inst(i).Mark = s.Marks[i];
            }
            for (int a = 1; a <= Scenario.Accounts; a++) p.Declare(a, s.Limits[a].ToRisk());
            foreach (var st in s.Steps)
            {
                switch (st.Kind)
                {
                    case StepKind.Command:
                        var cmd = st.Command;
                        if (cmd.Op is CommandOp.New or CommandOp.Replace && p.Engine.Validate(in cmd) == RejectReason.None)
                        {
                            cmd.EdgeReject = p.Risk.Check(ref cmd);
                            seen.Add(cmd.EdgeReject);
                        }
                        p.Risk.Apply(p.Engine.Process(in cmd));
                        break;
                    case StepKind.Mark: p.Inst(st.Instrument).Mark = st.Price; break;
                    case StepKind.Halt: p.Inst(st.Instrument).Halted = true; break;
                    case StepKind.Resume: p.Inst(st.Instrument).Halted = false; break;
                    case StepKind.Kill: p.Kill(st.Account); break;
                    case StepKind.Enable: p.Risk.Account(st.Account).Enabled = true; break;
                }
            }
        }
        var expected = new[]
        {
            RejectReason.None, RejectReason.AccountDisabled, RejectReason.InstrumentHalted, RejectReason.NoReferencePrice,
            RejectReason.MaxQty, RejectReason.MaxNotional, RejectReason.PriceBand, RejectReason.MaxOpenOrders,
            RejectReason.MaxPosition, RejectReason.CreditLimit,
        };
        Assert.Empty(expected.Except(seen));
    }
}
