using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;
using Hft.Journal;
using Hft.Pipeline.Shards;
using Hft.Risk;

namespace Hft.Pipeline.Tests;

/// <summary>
/// The one step: what <see cref="CommandStep.Decide"/> did, <see cref="CommandStep.ApplyDecided"/> redoes from the
/// commands as decided (what the journal records) - the state of a recovered node or a follower is the leader's.
/// </summary>
public sealed class CommandStepTests
{
    internal static (CommandStep Step, InstrumentRegistry Instruments, string[] Accounts) NewStep()
    {
        var instruments = new InstrumentRegistry();
        Assert.True(instruments.TryAdd("BTCUSD", new ScaledUnit(1, 2), new ScaledUnit(1, 4), out var btc, out _));
        var engine = new MatchingEngine(new EngineOptions { OrderCapacity = 1 << 14, OrderIdCapacity = 1 << 16 });
        engine.AddInstrument(btc!);
        var risk = new RiskStage(new RiskOptions { RejectUndeclaredAccounts = true });
        var ri = risk.AddInstrument(btc!);
        ri.Mark = 5_000_000;
        Assert.True(Amount.TryParse("10"u8, out var band));
        ri.BandPct = band;
        string[] names = ["", "A1", "A2", "A3"];
        for (int a = 1; a <= 3; a++)
        {
            var account = risk.Account(a);
            account.Declared = true;
            Assert.True(Amount.TryParse("2000000"u8, out var credit));
            Assert.True(Amount.TryParse("5"u8, out var maxPosition));
            account.Limits = new AccountLimits { Credit = credit, MaxPosition = maxPosition, MaxOpenOrders = 40 };
        }
        return (new CommandStep(engine, risk), instruments, names);
    }

    internal static string Hash(CommandStep step, InstrumentRegistry instruments, string[] names)
        => StateHash.Compute(instruments, [step.Engine], step.Risk.Book, id => names[id]);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Applying_what_was_decided_gives_the_same_state(int seed)
    {
        var (leader, instruments, names) = NewStep();
        var (follower, _, _) = NewStep();
        var rng = new Random(seed);
        var live = new List<(long Id, int Account)>();
        int changed = 0, rejected = 0;
        for (long id = 1; id <= 5000; id++)
        {
            int account = 1 + rng.Next(3);
            var side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
            OrderCommand cmd = rng.Next(10) switch
            {
                < 5 => OrderCommand.NewLimit(id, account, 0, side, 5_000_000 + rng.Next(-400, 400), 1 + rng.Next(3000),
                    rng.Next(8) == 0 ? TimeInForce.Ioc : TimeInForce.Gtc, stp: (SelfTradePrevention)rng.Next(4)),
                5 => OrderCommand.NewMarket(id, account, 0, side, 1 + rng.Next(5000)),
                6 or 7 when live.Count > 0 => Pick(live, rng, out var a) is var target ? OrderCommand.Cancel(target, a, 0) : default,
                8 when live.Count > 0 => Pick(live, rng, out var b) is var r ? OrderCommand.Replace(r, b, 0, 5_000_000 + rng.Next(-300, 300), 1 + rng.Next(3000)) : default,
                _ => OrderCommand.NewLimit(id, account, 0, side, 4_000_000, 1), // outside the band: risk refuses it
            };
            if (cmd.Op == CommandOp.New) live.Add((cmd.OrderId, account));
            var decided = cmd;
            var events = leader.Decide(ref decided);
            bool changes = false;
            foreach (var e in events) changes |= e.Kind != EventKind.Rejected;
            if (!changes)
            {
                rejected++;
                continue; // nothing journaled, nothing to redo
            }
            changed++;
            follower.ApplyDecided(in decided);
        }
        Assert.True(changed > 2000 && rejected > 100, $"{changed} changed, {rejected} rejected: the flow should exercise both");
        Assert.Equal(Hash(leader, instruments, names), Hash(follower, instruments, names));
    }

    private static long Pick(List<(long Id, int Account)> live, Random rng, out int account)
    {
        var (id, a) = live[rng.Next(live.Count)];
        account = a;
        return id;
    }
}
