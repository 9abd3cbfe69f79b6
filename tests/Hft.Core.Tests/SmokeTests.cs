using Hft.Core.Instruments;
using Hft.Core.Numerics;

namespace Hft.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void Limit_orders_cross_at_the_resting_price()
    {
        var reg = new InstrumentRegistry();
        Assert.True(ScaledUnit.TryParse("0.01"u8, out var tick, out _));
        Assert.True(ScaledUnit.TryParse("1"u8, out var lot, out _));
        Assert.True(reg.TryAdd("BTCUSD", tick, lot, out var btc, out _));
        var engine = new MatchingEngine();
        engine.AddInstrument(btc);
        var ev = engine.Process(OrderCommand.NewLimit(1, 1, btc.Index, Side.Sell, 100, 5)).ToArray();
        Assert.Equal(EventKind.Accepted, Assert.Single(ev).Kind);
        ev = engine.Process(OrderCommand.NewLimit(2, 2, btc.Index, Side.Buy, 101, 3)).ToArray();
        Assert.Equal(2, ev.Length);
        Assert.Equal(EventKind.Trade, ev[1].Kind);
        Assert.Equal(100, ev[1].Price);
        Assert.Equal(3, ev[1].Quantity);
        Assert.Null(Hft.Core.Book.BookInvariants.Check(engine));
    }
}
