using static Hft.Core.Orders.Side;

namespace Hft.Core.Tests.Golden;

/// <summary>Exact events of each order type: GTC, IOC, FOK, market, post-only.</summary>
public class OrderTypeGoldenTests
{
    private readonly GoldenEngine _g = new();

    [Fact]
    public void Gtc_limit_trades_at_the_makers_price_and_rests_the_remainder()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 5));
        Assert.Equal(
        [
            Expect.Accepted(2, 2, Buy, 101, 8),
            Expect.Trade(100, 5, (2, 2), Buy, 3, (1, 1), 0),
        ], _g.Run(Cmd.Limit(2, 2, Buy, 101, 8)));
        Assert.Equal([new OrderView(2, 2, Buy, 101, 3)], _g.L3(Buy));
        Assert.Empty(_g.L3(Sell));
    }

    [Fact]
    public void Gtc_limit_that_does_not_cross_just_rests()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 101, 5));
        Assert.Equal([Expect.Accepted(2, 2, Buy, 100, 4)], _g.Run(Cmd.Limit(2, 2, Buy, 100, 4)));
        Assert.Equal([new LevelView(100, 4, 1)], _g.L2(Buy));
        Assert.Equal([new LevelView(101, 5, 1)], _g.L2(Sell));
    }

    [Fact]
    public void Ioc_trades_what_crosses_and_cancels_the_remainder()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 5), Cmd.Limit(2, 1, Sell, 101, 5));
        Assert.Equal(
        [
            Expect.Accepted(3, 2, Buy, 100, 8),
            Expect.Trade(100, 5, (3, 2), Buy, 3, (1, 1), 0),
            Expect.Canceled(3, 2, Buy, 100, 3, CancelReason.IocRemainder),
        ], _g.Run(Cmd.Limit(3, 2, Buy, 100, 8, TimeInForce.Ioc)));
        Assert.Empty(_g.L3(Buy));
        Assert.Equal([2L], _g.Queue(Sell));
    }

    [Fact]
    public void Ioc_without_crossing_liquidity_is_canceled_whole()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 99, 5));
        Assert.Equal(
        [
            Expect.Accepted(2, 2, Sell, 100, 4),
            Expect.Canceled(2, 2, Sell, 100, 4, CancelReason.IocRemainder),
        ], _g.Run(Cmd.Limit(2, 2, Sell, 100, 4, TimeInForce.Ioc)));
        Assert.Equal([1L], _g.Queue(Buy));
        Assert.Empty(_g.L3(Sell));
    }

    [Fact]
    public void Fok_that_can_fill_completely_sweeps_levels()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 3), Cmd.Limit(2, 3, Sell, 101, 4), Cmd.Limit(3, 3, Sell, 102, 9));
        Assert.Equal(
        [
            Expect.Accepted(4, 2, Buy, 101, 7),
            Expect.Trade(100, 3, (4, 2), Buy, 4, (1, 1), 0),
            Expect.Trade(101, 4, (4, 2), Buy, 0, (2, 3), 0),
        ], _g.Run(Cmd.Limit(4, 2, Buy, 101, 7, TimeInForce.Fok)));
        Assert.Equal([3L], _g.Queue(Sell));
    }

    [Fact]
    public void Fok_that_cannot_fill_completely_is_killed_without_trading()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 3), Cmd.Limit(2, 3, Sell, 101, 4), Cmd.Limit(3, 3, Sell, 102, 9));
        var before = _g.L3(Sell);
        Assert.Equal(
        [
            Expect.Accepted(4, 2, Buy, 101, 8),
            Expect.Canceled(4, 2, Buy, 101, 8, CancelReason.FokUnfilled),
        ], _g.Run(Cmd.Limit(4, 2, Buy, 101, 8, TimeInForce.Fok)));
        Assert.Equal(before, _g.L3(Sell));
        Assert.Empty(_g.L3(Buy));
    }

    [Fact]
    public void Fok_counts_only_liquidity_within_its_limit()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 3), Cmd.Limit(2, 3, Sell, 101, 40));
        Assert.Equal(
        [
            Expect.Accepted(4, 2, Buy, 100, 4),
            Expect.Canceled(4, 2, Buy, 100, 4, CancelReason.FokUnfilled),
        ], _g.Run(Cmd.Limit(4, 2, Buy, 100, 4, TimeInForce.Fok)));
        Assert.Equal([1L, 2L], _g.Queue(Sell));
    }

    [Fact]
    public void Market_order_takes_every_price_and_cancels_what_is_left()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 3), Cmd.Limit(2, 1, Sell, 1000, 2));
        Assert.Equal(
        [
            Expect.Accepted(3, 2, Buy, 0, 10),
            Expect.Trade(100, 3, (3, 2), Buy, 7, (1, 1), 0),
            Expect.Trade(1000, 2, (3, 2), Buy, 5, (2, 1), 0),
            Expect.Canceled(3, 2, Buy, 0, 5, CancelReason.MarketNoLiquidity),
        ], _g.Run(Cmd.Market(3, 2, Buy, 10)));
        Assert.Empty(_g.L3(Sell));
        Assert.Empty(_g.L3(Buy));
    }

    [Fact]
    public void Market_sell_fills_against_the_best_bids_first()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 98, 3), Cmd.Limit(2, 1, Buy, 99, 2));
        Assert.Equal(
        [
            Expect.Accepted(3, 2, Sell, 0, 4),
            Expect.Trade(99, 2, (3, 2), Sell, 2, (2, 1), 0),
            Expect.Trade(98, 2, (3, 2), Sell, 0, (1, 1), 1),
        ], _g.Run(Cmd.Market(3, 2, Sell, 4)));
        Assert.Equal([new OrderView(1, 1, Buy, 98, 1)], _g.L3(Buy));
    }

    [Fact]
    public void Market_order_without_liquidity_is_canceled_whole()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 99, 5)); // same side: no liquidity for a buy
        Assert.Equal(
        [
            Expect.Accepted(2, 2, Buy, 0, 4),
            Expect.Canceled(2, 2, Buy, 0, 4, CancelReason.MarketNoLiquidity),
        ], _g.Run(Cmd.Market(2, 2, Buy, 4)));
        Assert.Equal([1L], _g.Queue(Buy));
    }

    [Fact]
    public void Market_order_with_gtc_behaves_as_ioc()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 3));
        Assert.Equal(
        [
            Expect.Accepted(2, 2, Buy, 0, 5),
            Expect.Trade(100, 3, (2, 2), Buy, 2, (1, 1), 0),
            Expect.Canceled(2, 2, Buy, 0, 2, CancelReason.MarketNoLiquidity),
        ], _g.Run(Cmd.Market(2, 2, Buy, 5, TimeInForce.Gtc)));
        Assert.Empty(_g.L3(Buy));
    }

    [Fact]
    public void Market_order_with_fok_fills_completely_or_not_at_all()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 3), Cmd.Limit(2, 1, Sell, 105, 3));
        Assert.Equal(
        [
            Expect.Accepted(3, 2, Buy, 0, 7),
            Expect.Canceled(3, 2, Buy, 0, 7, CancelReason.FokUnfilled),
        ], _g.Run(Cmd.Market(3, 2, Buy, 7, TimeInForce.Fok)));
        Assert.Equal(
        [
            Expect.Accepted(4, 2, Buy, 0, 6),
            Expect.Trade(100, 3, (4, 2), Buy, 3, (1, 1), 0),
            Expect.Trade(105, 3, (4, 2), Buy, 0, (2, 1), 0),
        ], _g.Run(Cmd.Market(4, 2, Buy, 6, TimeInForce.Fok)));
    }

    [Fact]
    public void Post_only_that_does_not_cross_rests()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 3));
        Assert.Equal([Expect.Accepted(2, 2, Buy, 99, 4)], _g.Run(Cmd.Limit(2, 2, Buy, 99, 4, postOnly: true)));
        Assert.Equal([new OrderView(2, 2, Buy, 99, 4)], _g.L3(Buy));
    }

    [Fact]
    public void Post_only_that_would_cross_is_canceled_whole_without_trading()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 3));
        Assert.Equal(
        [
            Expect.Accepted(2, 2, Buy, 100, 4),
            Expect.Canceled(2, 2, Buy, 100, 4, CancelReason.PostOnlyWouldCross),
        ], _g.Run(Cmd.Limit(2, 2, Buy, 100, 4, postOnly: true)));
        Assert.Equal([new OrderView(1, 1, Sell, 100, 3)], _g.L3(Sell));
        Assert.Empty(_g.L3(Buy));
    }

    [Fact]
    public void Post_only_that_would_cross_its_own_order_is_canceled_too()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 100, 3));
        Assert.Equal(
        [
            Expect.Accepted(2, 1, Sell, 99, 4),
            Expect.Canceled(2, 1, Sell, 99, 4, CancelReason.PostOnlyWouldCross),
        ], _g.Run(Cmd.Limit(2, 1, Sell, 99, 4, postOnly: true, stp: SelfTradePrevention.CancelMaker)));
        Assert.Equal([1L], _g.Queue(Buy));
    }
}
