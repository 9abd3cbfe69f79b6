using static Hft.Core.Orders.Side;

namespace Hft.Core.Tests.Golden;

/// <summary>
/// Self-trade prevention, decided by the incoming order's mode. The ask side used throughout, in priority order:
/// id 1 (account 2) 2 @ 99, id 2 (account 1) 3 @ 100, id 3 (account 2) 4 @ 100, id 4 (account 1) 5 @ 101.
/// The taker is account 1 buying up to 101.
/// </summary>
public class SelfTradePreventionGoldenTests
{
    private readonly GoldenEngine _g = new();

    public SelfTradePreventionGoldenTests()
        => _g.Rest(Cmd.Limit(1, 2, Sell, 99, 2), Cmd.Limit(2, 1, Sell, 100, 3), Cmd.Limit(3, 2, Sell, 100, 4), Cmd.Limit(4, 1, Sell, 101, 5));

    private string[] Buy10(SelfTradePrevention stp, TimeInForce tif = TimeInForce.Gtc, long qty = 10)
        => _g.Run(Cmd.Limit(10, 1, Buy, 101, qty, tif, stp: stp));

    [Fact]
    public void None_lets_an_account_trade_with_itself()
    {
        Assert.Equal(
        [
            Expect.Accepted(10, 1, Buy, 101, 10),
            Expect.Trade(99, 2, (10, 1), Buy, 8, (1, 2), 0),
            Expect.Trade(100, 3, (10, 1), Buy, 5, (2, 1), 0),
            Expect.Trade(100, 4, (10, 1), Buy, 1, (3, 2), 0),
            Expect.Trade(101, 1, (10, 1), Buy, 0, (4, 1), 4),
        ], Buy10(SelfTradePrevention.None));
        Assert.Equal([new OrderView(4, 1, Sell, 101, 4)], _g.L3(Sell));
    }

    [Fact]
    public void Cancel_taker_keeps_earlier_trades_and_cancels_the_incoming_remainder()
    {
        Assert.Equal(
        [
            Expect.Accepted(10, 1, Buy, 101, 10),
            Expect.Trade(99, 2, (10, 1), Buy, 8, (1, 2), 0),
            Expect.Canceled(10, 1, Buy, 101, 8, CancelReason.SelfTrade),
        ], Buy10(SelfTradePrevention.CancelTaker));
        Assert.Equal([2L, 3L, 4L], _g.Queue(Sell));
        Assert.Empty(_g.L3(Buy));
    }

    [Fact]
    public void Cancel_maker_cancels_each_own_resting_order_met_and_keeps_matching()
    {
        Assert.Equal(
        [
            Expect.Accepted(10, 1, Buy, 101, 10),
            Expect.Trade(99, 2, (10, 1), Buy, 8, (1, 2), 0),
            Expect.Canceled(2, 1, Sell, 100, 3, CancelReason.SelfTrade),
            Expect.Trade(100, 4, (10, 1), Buy, 4, (3, 2), 0),
            Expect.Canceled(4, 1, Sell, 101, 5, CancelReason.SelfTrade),
        ], Buy10(SelfTradePrevention.CancelMaker));
        Assert.Empty(_g.L3(Sell));
        Assert.Equal([new OrderView(10, 1, Buy, 101, 4)], _g.L3(Buy));
    }

    [Fact]
    public void Cancel_both_cancels_the_own_maker_first_then_the_taker_remainder()
    {
        Assert.Equal(
        [
            Expect.Accepted(10, 1, Buy, 101, 10),
            Expect.Trade(99, 2, (10, 1), Buy, 8, (1, 2), 0),
            Expect.Canceled(2, 1, Sell, 100, 3, CancelReason.SelfTrade),
            Expect.Canceled(10, 1, Buy, 101, 8, CancelReason.SelfTrade),
        ], Buy10(SelfTradePrevention.CancelBoth));
        Assert.Equal([3L, 4L], _g.Queue(Sell));
        Assert.Empty(_g.L3(Buy));
    }

    [Fact]
    public void Stp_applies_only_to_the_same_account()
    {
        Assert.Equal(
        [
            Expect.Accepted(10, 3, Buy, 100, 6),
            Expect.Trade(99, 2, (10, 3), Buy, 4, (1, 2), 0),
            Expect.Trade(100, 3, (10, 3), Buy, 1, (2, 1), 0),
            Expect.Trade(100, 1, (10, 3), Buy, 0, (3, 2), 3),
        ], _g.Run(Cmd.Limit(10, 3, Buy, 100, 6, stp: SelfTradePrevention.CancelBoth)));
    }

    [Fact]
    public void Fok_with_cancel_maker_counts_only_other_accounts_liquidity()
    {
        var before = _g.L3(Sell);
        Assert.Equal(
        [
            Expect.Accepted(10, 1, Buy, 101, 7),
            Expect.Canceled(10, 1, Buy, 101, 7, CancelReason.FokUnfilled),
        ], Buy10(SelfTradePrevention.CancelMaker, TimeInForce.Fok, 7));
        Assert.Equal(before, _g.L3(Sell)); // a killed FOK cancels no maker

        Assert.Equal(
        [
            Expect.Accepted(11, 1, Buy, 101, 6),
            Expect.Trade(99, 2, (11, 1), Buy, 4, (1, 2), 0),
            Expect.Canceled(2, 1, Sell, 100, 3, CancelReason.SelfTrade),
            Expect.Trade(100, 4, (11, 1), Buy, 0, (3, 2), 0),
        ], _g.Run(Cmd.Limit(11, 1, Buy, 101, 6, TimeInForce.Fok, stp: SelfTradePrevention.CancelMaker)));
        Assert.Equal([4L], _g.Queue(Sell));
    }

    [Theory]
    [InlineData(SelfTradePrevention.CancelTaker)]
    [InlineData(SelfTradePrevention.CancelBoth)]
    public void Fok_with_cancel_taker_or_both_fails_on_reaching_an_own_order_before_being_filled(SelfTradePrevention stp)
    {
        Assert.Equal(
        [
            Expect.Accepted(10, 1, Buy, 101, 3),
            Expect.Canceled(10, 1, Buy, 101, 3, CancelReason.FokUnfilled),
        ], Buy10(stp, TimeInForce.Fok, 3));
        Assert.Equal([1L, 2L, 3L, 4L], _g.Queue(Sell));

        Assert.Equal(
        [
            Expect.Accepted(11, 1, Buy, 101, 2),
            Expect.Trade(99, 2, (11, 1), Buy, 0, (1, 2), 0),
        ], _g.Run(Cmd.Limit(11, 1, Buy, 101, 2, TimeInForce.Fok, stp: stp)));
    }

    [Fact]
    public void Fok_without_stp_counts_own_orders()
    {
        var events = Buy10(SelfTradePrevention.None, TimeInForce.Fok, 9);
        Assert.Equal(4, events.Length);
        Assert.Equal(Expect.Trade(100, 4, (10, 1), Buy, 0, (3, 2), 0), events[^1]);
        Assert.Equal([4L], _g.Queue(Sell));
    }
}
