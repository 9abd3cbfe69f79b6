using Hft.Core.Tests.Property;

namespace Hft.Core.Tests.Invariants;

/// <summary>On long random runs the checker stays quiet and the counters agree with the emitted events and the books.</summary>
public class BookInvariantsRandomRunTests
{
    [Fact]
    public void Long_random_run_keeps_invariants_and_conserves_quantity()
    {
        var random = new Random(20240601);
        var rows = Enumerable.Range(0, 20_000).Select(_ => Enumerable.Range(0, CommandStreamGen.Dice).Select(_ => random.Next(1000)).ToArray()).ToArray();
        var commands = CommandStreamGen.Build(rows);
        var engine = TestMarket.Engine(3, TestMarket.Small);

        long accepted = 0, rejected = 0, trades = 0, traded = 0, canceled = 0;
        for (int i = 0; i < commands.Length; i++)
        {
            foreach (ref readonly var e in engine.Process(in commands[i]))
            {
                switch (e.Kind)
                {
                    case EventKind.Accepted: accepted++; break;
                    case EventKind.Rejected: rejected++; break;
                    case EventKind.Trade: trades++; traded += e.Quantity; break;
                    case EventKind.Canceled: canceled += e.Remaining; break;
                }
            }
            if (i % 50 == 0) Assert.Null(BookInvariants.Check(engine));
        }
        Assert.Null(BookInvariants.Check(engine));

        ref readonly var c = ref engine.Counters;
        Assert.Equal(commands.Length, c.Commands);
        Assert.Equal(accepted, c.Accepted);
        Assert.Equal(rejected, c.Rejected);
        Assert.Equal(trades, c.Trades);
        Assert.Equal(traded, c.TradedQuantity);
        Assert.Equal(canceled, c.CanceledQuantity);

        long resting = 0;
        foreach (var book in engine.Books)
            foreach (var side in new[] { Side.Buy, Side.Sell })
                resting += BookComparison.Orders(book, side).Sum(o => engine.TryGetOrder(o.OrderId, out var v) ? v.Remaining : 0);
        foreach (var book in engine.Books)
            resting += BookComparison.PendingStops(engine, book.Instrument.Index).Sum(p => p.Quantity); // entered, not yet matched
        Assert.Equal(c.EnteredQuantity, 2 * c.TradedQuantity + c.CanceledQuantity + c.WithdrawnQuantity + resting);
        Assert.True(trades > 2000 && resting > 0, $"trades {trades}, resting {resting}");
    }
}
