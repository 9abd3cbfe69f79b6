using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;
using Hft.Pipeline.Shards;
using Hft.Risk;

namespace Hft.Cli.Bench;

/// <summary>
/// Builds a scenario's command stream before any timing. The mix, per command:
/// <list type="bullet">
/// <item>50% new GTC limit orders around the instrument's drifting mid; one in three is priced through the
/// mid (crossing), the rest rest 1-20 ticks behind it;</item>
/// <item>25% cancels of a live order (picked uniformly among the live orders the flow placed, pending stops included, and
/// in <c>deep-cold</c> among the pre-loaded ones too);</item>
/// <item>10% replaces of a live order: half reduce quantity in place, half move the price 1-3 ticks;</item>
/// <item>10% IOC: half market orders, half IOC limits priced 0-3 ticks through the mid;</item>
/// <item>5% FOK limits through the mid or post-only limits at 0-3 ticks behind it (some would cross).</item>
/// </list>
/// With <see cref="BenchScenario.OrderTypeMix"/> (<c>types</c>) a command is first, with 20% each, a stop or an iceberg,
/// and only otherwise drawn from the mix above:
/// <list type="bullet">
/// <item>stops: stop, stop-limit, take-profit or take-profit limit alike, the trigger 1-10 ticks from the mid on the
/// side that has not fired yet (a buy stop above, a buy take-profit below), a limit 0-3 ticks beyond the trigger;</item>
/// <item>icebergs: GTC limits of 2-20 lots showing 1-5 per slice, priced as the new limits above.</item>
/// </list>
/// The stream is run through a separate shadow engine while it is generated, so cancels and replaces
/// always name orders that really are live at that point; the same run sizes the engine options. In the
/// <c>risk</c> scenario the shadow is the whole pipeline (engine + <see cref="RiskProfile"/>), so orders that
/// risk rejects are never tracked as live.
/// </summary>
internal static class OrderFlowGenerator
{
    public const long BasePrice = 100_000; // ticks (1,000.00 at a 0.01 tick)
    private const int Accounts = 100;

    public static BenchWorkload Generate(BenchScenario scenario, int commands, ulong seed)
    {
        var rng = new BenchRandom(seed ^ ScenarioSalt(scenario.StreamOf ?? scenario.Name));
        var instruments = new InstrumentRegistry();
        for (int i = 0; i < scenario.Instruments; i++)
        {
            if (!instruments.TryAdd($"BENCH{i}", new ScaledUnit(1, 2), new ScaledUnit(1, 0), out _, out var error))
                throw new InvalidOperationException(error);
        }

        int maxId = scenario.PreloadOrders + commands + 1;
        var live = new LiveOrderSet(maxId);
        var sizer = new EngineSizer();
        var shadow = new MatchingEngine(new EngineOptions
        {
            OrderCapacity = scenario.PreloadOrders + 65_536,
            OrderIdCapacity = maxId,
            LevelCapacity = scenario.PreloadLevels + 4096,
        });
        foreach (var instrument in instruments.All) shadow.AddInstrument(instrument);
        var risk = scenario.WithRisk ? RiskProfile.Create(instruments, Accounts, scenario.PreloadOrders + 65_536) : null;
        var step = risk is null ? null : new CommandStep(shadow, risk);

        var mid = new long[scenario.Instruments];
        Array.Fill(mid, BasePrice);
        long nextId = 1;

        // Pre-load (deep): orders spread uniformly over PreloadLevels levels, half each side, 1..depth ticks from the mid.
        var preload = new OrderCommand[scenario.PreloadOrders];
        int depth = Math.Max(1, scenario.PreloadLevels / 2);
        for (int i = 0; i < preload.Length; i++)
        {
            var side = rng.Coin() ? Side.Buy : Side.Sell;
            long offset = rng.Between(1, depth);
            long price = side == Side.Buy ? BasePrice - offset : BasePrice + offset;
            long id = nextId++;
            preload[i] = OrderCommand.NewLimit(id, AccountOf(id), 0, side, price, rng.Between(1, 10));
            Apply(shadow, step, live, sizer, in preload[i], track: scenario.TargetPreloaded);
        }

        var stream = new OrderCommand[commands];
        for (int i = 0; i < stream.Length; i++)
        {
            int instrument = scenario.Instruments == 1 ? 0 : rng.Next(scenario.Instruments);
            if (rng.Next(32) == 0) mid[instrument] += rng.Coin() ? 1 : -1;
            long m = mid[instrument];
            int r = rng.Next(100);
            if (r >= 50 && r < 85 && live.Count == 0) r = 0; // nothing to cancel or replace yet

            OrderCommand cmd;
            int special = scenario.OrderTypeMix ? rng.Next(100) : 100;
            if (special < 20)
            {
                cmd = NewStop(ref rng, nextId++, instrument, m);
            }
            else if (special < 40)
            {
                var side = rng.Coin() ? Side.Buy : Side.Sell;
                long offset = rng.Next(3) == 0 ? -rng.Between(1, 3) : rng.Between(1, 20);
                long id = nextId++;
                long qty = rng.Between(2, 20);
                cmd = OrderCommand.NewLimit(id, AccountOf(id), instrument, side, Behind(side, m, offset), qty);
                cmd.DisplayQuantity = Math.Min(qty, rng.Between(1, 5));
            }
            else if (r < 50)
            {
                var side = rng.Coin() ? Side.Buy : Side.Sell;
                bool crossing = rng.Next(3) == 0;
                long offset = crossing ? -rng.Between(1, 3) : rng.Between(1, 20);
                long id = nextId++;
                cmd = OrderCommand.NewLimit(id, AccountOf(id), instrument, side, Behind(side, m, offset), rng.Between(1, 10));
            }
            else if (r < 75)
            {
                long id = live.Pick(ref rng);
                cmd = OrderCommand.Cancel(id, AccountOf(id), live.InstrumentOf(id));
            }
            else if (r < 85)
            {
                long id = live.Pick(ref rng);
                long remaining = live.RemainingOf(id);
                long price = live.PriceOf(id);
                if (rng.Coin() && remaining > 1)
                {
                    cmd = OrderCommand.Replace(id, AccountOf(id), live.InstrumentOf(id), price, rng.Between(1, (int)Math.Min(remaining - 1, 1000)));
                }
                else
                {
                    long moved = Math.Max(1, price + (rng.Coin() ? 1 : -1) * rng.Between(1, 3));
                    cmd = OrderCommand.Replace(id, AccountOf(id), live.InstrumentOf(id), moved, rng.Between(1, 10));
                }
            }
            else if (r < 95)
            {
                var side = rng.Coin() ? Side.Buy : Side.Sell;
                long id = nextId++;
                cmd = rng.Coin()
                    ? OrderCommand.NewMarket(id, AccountOf(id), instrument, side, rng.Between(1, 10))
                    : OrderCommand.NewLimit(id, AccountOf(id), instrument, side, Behind(side, m, -rng.Between(0, 3)), rng.Between(1, 10), TimeInForce.Ioc);
            }
            else
            {
                var side = rng.Coin() ? Side.Buy : Side.Sell;
                long id = nextId++;
                cmd = rng.Coin()
                    ? OrderCommand.NewLimit(id, AccountOf(id), instrument, side, Behind(side, m, -rng.Between(1, 5)), rng.Between(1, 10), TimeInForce.Fok)
                    : OrderCommand.NewLimit(id, AccountOf(id), instrument, side, Behind(side, m, rng.Between(0, 3)), rng.Between(1, 10), postOnly: true);
            }
            stream[i] = cmd;
            Apply(shadow, step, live, sizer, in stream[i], track: true);
        }

        sizer.Finish(shadow);
        return new BenchWorkload
        {
            Name = scenario.Name,
            Description = scenario.Description,
            Instruments = instruments,
            Preload = preload,
            Commands = stream,
            Options = sizer.ToOptions(),
            Seed = seed,
            Sizing = sizer,
            Accounts = Accounts,
            WithRisk = scenario.WithRisk,
        };
    }

    /// <summary>
    /// A stop or take-profit (market or limit alike) whose trigger is 1-10 ticks from the mid in the direction it fires
    /// on, so that it waits (unless the last trade is already beyond the mid: then it is refused, like real flow's late stops).
    /// </summary>
    private static OrderCommand NewStop(ref BenchRandom rng, long id, int instrument, long mid)
    {
        var side = rng.Coin() ? Side.Buy : Side.Sell;
        var type = (OrderType)((int)OrderType.Stop + rng.Next(4));
        bool onRise = type.TriggersOnRise(side);
        long trigger = Math.Max(1, mid + (onRise ? 1 : -1) * rng.Between(1, 10));
        long limit = Math.Max(1, trigger + (side == Side.Buy ? 1 : -1) * rng.Between(0, 3));
        return OrderCommand.NewTriggered(id, AccountOf(id), instrument, side, type, trigger, limit, rng.Between(1, 10));
    }

    /// <summary>A different stream per scenario from the same seed, stable across runs (no string hashing).</summary>
    private static ulong ScenarioSalt(string name)
    {
        ulong h = 1469598103934665603UL;
        foreach (char c in name) h = (h ^ c) * 1099511628211UL;
        return h;
    }

    private static int AccountOf(long id) => (int)(id % Accounts);

    /// <summary>A price <paramref name="offset"/> ticks behind the mid on <paramref name="side"/> (negative: through it).</summary>
    private static long Behind(Side side, long mid, long offset) => Math.Max(1, side == Side.Buy ? mid - offset : mid + offset);

    /// <summary>Runs one command through the shadow engine and updates the live set from its events.</summary>
    private static void Apply(MatchingEngine shadow, CommandStep? step, LiveOrderSet live, EngineSizer sizer, in OrderCommand cmd, bool track)
    {
        var events = step is null ? shadow.Process(in cmd) : new RiskPipelineProcessor(step).Process(in cmd);
        sizer.Observe(shadow, in cmd, events);

        long subject = cmd.OrderId;
        long subjectRemaining = cmd.Quantity;
        bool subjectGone = false;
        bool rejected = false;
        foreach (ref readonly var e in events)
        {
            switch (e.Kind)
            {
                case EventKind.Trade:
                    if (e.MakerRemaining == 0) live.Remove(e.MakerOrderId);
                    else live.SetRemaining(e.MakerOrderId, e.MakerRemaining);
                    if (e.OrderId == subject) subjectRemaining = e.Remaining;
                    break;
                case EventKind.Canceled:
                    live.Remove(e.OrderId);
                    if (e.OrderId == subject) subjectGone = true;
                    break;
                case EventKind.Rejected:
                    subjectGone = true;
                    rejected = true;
                    break;
                case EventKind.Replaced:
                    subjectRemaining = e.Quantity;
                    break;
                case EventKind.Triggered:
                    live.Remove(e.OrderId); // a fired stop is no longer a target (what of it rests is left alone)
                    if (e.OrderId == subject) subjectGone = true;
                    break;
            }
        }

        switch (cmd.Op)
        {
            case CommandOp.New:
                // resting GTC limits and pending stops are what cancels and replaces pick
                bool canRest = (cmd.Type == OrderType.Limit && cmd.Tif == TimeInForce.Gtc) || cmd.Type.IsTriggered();
                if (track && canRest && !subjectGone && subjectRemaining > 0)
                    live.Add(subject, cmd.Instrument, cmd.Side, cmd.Price, subjectRemaining);
                break;
            case CommandOp.Replace:
                // A rejected replace (risk) leaves the order as it was.
                if (rejected) break;
                if (subjectGone || subjectRemaining == 0) live.Remove(subject);
                else if (live.Contains(subject))
                    live.Add(subject, live.InstrumentOf(subject), live.SideOf(subject), cmd.Price, subjectRemaining);
                break;
        }
    }
}
