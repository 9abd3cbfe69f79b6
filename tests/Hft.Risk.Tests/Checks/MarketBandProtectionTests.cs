using Hft.Core.Events;
using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Checks;

/// <summary>A market order inside a band never trades beyond it; the remainder is canceled price_band.</summary>
public class MarketBandProtectionTests
{
    private static RiskPipeline Book(string? band)
    {
        var p = new RiskPipeline();
        p.Declare(1);
        long id = 100;
        foreach (long price in new long[] { 105, 110, 111, 150 }) Assert.True(p.Submit(Cmd.Sell(id++, 2, price, 2)).Accepted());
        foreach (long price in new long[] { 95, 90, 89, 50 }) Assert.True(p.Submit(Cmd.Buy(id++, 2, price, 2)).Accepted());
        // the band comes after the book is built, so levels beyond it exist
        if (band is not null) p.Inst(0).BandPct = A(band);
        p.Inst(0).Mark = 100;
        return p;
    }

    [Fact]
    public void Buy_stops_at_the_upper_band_edge()
    {
        var p = Book("10");
        var events = p.Submit(Cmd.MarketBuy(1, 1, 7));
        Assert.Equal([105L, 105, 110, 110], events.Trades().SelectMany(t => Enumerable.Repeat(t.Price, (int)t.Quantity)));
        var cancel = Assert.Single(events.Cancels());
        Assert.Equal(CancelReason.PriceBand, cancel.CancelReason);
        Assert.Equal(3, cancel.Remaining);
        Assert.True(p.Engine.Book(0)!.TryGetBest(Hft.Core.Orders.Side.Sell, out var best));
        Assert.Equal(111, best.Price);
        Assert.Equal(4, p.Risk.Account(1).Position(0).Position);
        Assert.Equal(0, p.Risk.Account(1).OpenOrders);
    }

    [Fact]
    public void Sell_stops_at_the_lower_band_edge()
    {
        var p = Book("10");
        var events = p.Submit(Cmd.MarketSell(1, 1, 7));
        Assert.All(events.Trades(), t => Assert.InRange(t.Price, 90, 95));
        Assert.Equal(4, events.Trades().Sum(t => t.Quantity));
        Assert.Equal(CancelReason.PriceBand, Assert.Single(events.Cancels()).CancelReason);
    }

    [Fact]
    public void The_edge_is_floored_to_whole_ticks_around_the_last_trade()
    {
        var p = Book("10");
        p.Submit(Cmd.Sell(50, 3, 101, 1));
        p.Submit(Cmd.Buy(51, 3, 101, 1)); // last trade 101: edge 101 + floor(10.1) = 111
        var events = p.Submit(Cmd.MarketBuy(1, 1, 20));
        Assert.Equal(111, events.Trades().Max(t => t.Price));
        Assert.Equal(6, events.Trades().Sum(t => t.Quantity));
        Assert.Equal(CancelReason.PriceBand, Assert.Single(events.Cancels()).CancelReason);
    }

    [Fact]
    public void Undeclared_accounts_are_protected_too()
    {
        var p = Book("10");
        var events = p.Submit(Cmd.MarketBuy(1, 9, 20));
        Assert.Equal(110, events.Trades().Max(t => t.Price));
        Assert.Equal(CancelReason.PriceBand, Assert.Single(events.Cancels()).CancelReason);
    }

    [Fact]
    public void Without_a_band_a_market_order_trades_through_every_level()
    {
        var p = Book(null);
        var buy = p.Submit(Cmd.MarketBuy(1, 1, 20));
        Assert.Equal([105L, 110, 111, 150], buy.Trades().Select(t => t.Price));
        Assert.Equal(CancelReason.MarketNoLiquidity, Assert.Single(buy.Cancels()).CancelReason);
        var sell = p.Submit(Cmd.MarketSell(2, 1, 8));
        Assert.Equal([95L, 90, 89, 50], sell.Trades().Select(t => t.Price));
        Assert.Empty(sell.Cancels());
    }

    [Fact]
    public void A_band_without_a_reference_price_does_not_protect()
    {
        var p = new RiskPipeline();
        p.Declare(1);
        p.Inst(0).BandPct = A("1");
        p.Submit(Cmd.Sell(10, 2, 100, 1));
        p.Submit(Cmd.Sell(11, 2, 500, 1));
        var events = p.Submit(Cmd.MarketBuy(1, 1, 2));
        Assert.Equal([100L, 500], events.Trades().Select(t => t.Price));
    }
}
