using static Hft.Core.Orders.Side;

namespace Hft.Core.Tests.Golden;

/// <summary>Cancel and replace: what they emit, and when a replace keeps or loses time priority.</summary>
public class CancelReplaceGoldenTests
{
    private readonly GoldenEngine _g = new();

    [Fact]
    public void Cancel_emits_the_remaining_quantity_after_partial_fills()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 100, 5));
        _g.Run(Cmd.Limit(2, 2, Sell, 100, 2));
        Assert.Equal([Expect.Canceled(1, 1, Buy, 100, 3, CancelReason.User)], _g.Run(Cmd.Cancel(1, 1)));
        Assert.Empty(_g.L3(Buy));
        Assert.Equal([Expect.Rejected(1, 1, CommandOp.Cancel, RejectReason.UnknownOrder)], _g.Run(Cmd.Cancel(1, 1)));
    }

    [Fact]
    public void Reducing_quantity_at_the_same_price_keeps_time_priority()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 100, 5), Cmd.Limit(2, 2, Buy, 100, 5));
        Assert.Equal([Expect.Replaced(1, 1, Buy, 100, 3)], _g.Run(Cmd.Replace(1, 1, 100, 3)));
        Assert.Equal([new OrderView(1, 1, Buy, 100, 3), new OrderView(2, 2, Buy, 100, 5)], _g.L3(Buy));
        Assert.Equal([new LevelView(100, 8, 2)], _g.L2(Buy));
        Assert.Equal(
        [
            Expect.Accepted(3, 3, Sell, 100, 4),
            Expect.Trade(100, 3, (3, 3), Sell, 1, (1, 1), 0),
            Expect.Trade(100, 1, (3, 3), Sell, 0, (2, 2), 4),
        ], _g.Run(Cmd.Limit(3, 3, Sell, 100, 4)));
    }

    [Fact]
    public void Replace_to_the_same_price_and_quantity_keeps_priority()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 100, 5), Cmd.Limit(2, 2, Buy, 100, 5));
        Assert.Equal([Expect.Replaced(1, 1, Buy, 100, 5)], _g.Run(Cmd.ReplaceQty(1, 1, 5)));
        Assert.Equal([1L, 2L], _g.Queue(Buy));
    }

    [Fact]
    public void Replace_quantity_is_the_new_remaining_after_partial_fills()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 100, 10), Cmd.Limit(2, 2, Buy, 100, 5));
        _g.Run(Cmd.Limit(3, 3, Sell, 100, 6)); // 1 has 4 left
        Assert.Equal([Expect.Replaced(1, 1, Buy, 100, 4)], _g.Run(Cmd.ReplaceQty(1, 1, 4)));
        Assert.Equal([1L, 2L], _g.Queue(Buy));
        Assert.Equal([Expect.Replaced(1, 1, Buy, 100, 5)], _g.Run(Cmd.ReplaceQty(1, 1, 5))); // more than remaining: loses priority
        Assert.Equal([new OrderView(2, 2, Buy, 100, 5), new OrderView(1, 1, Buy, 100, 5)], _g.L3(Buy));
    }

    [Fact]
    public void Increasing_quantity_loses_time_priority()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 100, 5), Cmd.Limit(2, 2, Buy, 100, 5));
        Assert.Equal([Expect.Replaced(1, 1, Buy, 100, 6)], _g.Run(Cmd.ReplaceQty(1, 1, 6)));
        Assert.Equal([new OrderView(2, 2, Buy, 100, 5), new OrderView(1, 1, Buy, 100, 6)], _g.L3(Buy));
    }

    [Fact]
    public void Changing_price_moves_the_order_to_the_back_of_the_new_level()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 101, 5), Cmd.Limit(2, 2, Sell, 102, 5), Cmd.Limit(3, 3, Sell, 101, 1));
        Assert.Equal([Expect.Replaced(2, 2, Sell, 101, 2)], _g.Run(Cmd.Replace(2, 2, 101, 2)));
        Assert.Equal([1L, 3L, 2L], _g.Queue(Sell));
        Assert.Equal([new LevelView(101, 8, 3)], _g.L2(Sell));
        Assert.Equal([Expect.Replaced(1, 1, Sell, 102, 5)], _g.Run(Cmd.Replace(1, 1, 102, 5)));
        Assert.Equal([new LevelView(101, 3, 2), new LevelView(102, 5, 1)], _g.L2(Sell));
    }

    [Fact]
    public void Replace_that_crosses_trades_immediately_at_the_makers_price()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 99, 5), Cmd.Limit(2, 2, Sell, 101, 3), Cmd.Limit(3, 2, Sell, 102, 9));
        Assert.Equal(
        [
            Expect.Replaced(1, 1, Buy, 102, 5),
            Expect.Trade(101, 3, (1, 1), Buy, 2, (2, 2), 0),
            Expect.Trade(102, 2, (1, 1), Buy, 0, (3, 2), 7),
        ], _g.Run(Cmd.Replace(1, 1, 102, 5)));
        Assert.Empty(_g.L3(Buy));
        Assert.Equal([Expect.Rejected(1, 1, CommandOp.Replace, RejectReason.UnknownOrder)], _g.Run(Cmd.ReplaceQty(1, 1, 1)));
    }

    [Fact]
    public void Replaced_order_that_partly_crosses_rests_its_remainder_as_gtc()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 99, 5), Cmd.Limit(2, 2, Sell, 101, 3));
        Assert.Equal(
        [
            Expect.Replaced(1, 1, Buy, 101, 5),
            Expect.Trade(101, 3, (1, 1), Buy, 2, (2, 2), 0),
        ], _g.Run(Cmd.Replace(1, 1, 101, 5)));
        Assert.Equal([new OrderView(1, 1, Buy, 101, 2)], _g.L3(Buy));
    }

    [Fact]
    public void Replace_keeps_post_only_so_a_crossing_replace_is_canceled()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 99, 5, postOnly: true), Cmd.Limit(2, 2, Sell, 101, 3));
        Assert.Equal(
        [
            Expect.Replaced(1, 1, Buy, 101, 5),
            Expect.Canceled(1, 1, Buy, 101, 5, CancelReason.PostOnlyWouldCross),
        ], _g.Run(Cmd.Replace(1, 1, 101, 5)));
        Assert.Empty(_g.L3(Buy));
        Assert.Equal([2L], _g.Queue(Sell));
    }

    [Fact]
    public void Replace_keeps_the_self_trade_prevention_mode()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 99, 5, stp: SelfTradePrevention.CancelBoth), Cmd.Limit(2, 1, Sell, 101, 3));
        Assert.Equal(
        [
            Expect.Replaced(1, 1, Buy, 101, 5),
            Expect.Canceled(2, 1, Sell, 101, 3, CancelReason.SelfTrade),
            Expect.Canceled(1, 1, Buy, 101, 5, CancelReason.SelfTrade),
        ], _g.Run(Cmd.Replace(1, 1, 101, 5)));
        Assert.Empty(_g.L3(Buy));
        Assert.Empty(_g.L3(Sell));
    }

    [Fact]
    public void Replace_of_a_filled_or_canceled_order_is_unknown_order()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 100, 2), Cmd.Limit(2, 1, Buy, 90, 2));
        _g.Run(Cmd.Limit(3, 2, Sell, 100, 2));
        _g.Run(Cmd.Cancel(2, 1));
        Assert.Equal([Expect.Rejected(1, 1, CommandOp.Replace, RejectReason.UnknownOrder)], _g.Run(Cmd.Replace(1, 1, 100, 1)));
        Assert.Equal([Expect.Rejected(2, 1, CommandOp.Replace, RejectReason.UnknownOrder)], _g.Run(Cmd.Replace(2, 1, 90, 1)));
    }

    [Fact]
    public void Replace_by_another_account_or_on_another_instrument_is_unknown_order()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 100, 2));
        Assert.Equal([Expect.Rejected(1, 2, CommandOp.Replace, RejectReason.UnknownOrder)], _g.Run(Cmd.Replace(1, 2, 100, 1)));
        Assert.Equal([Expect.Rejected(1, 1, CommandOp.Replace, RejectReason.UnknownOrder, 1)], _g.Run(Cmd.Replace(1, 1, 100, 1, ins: 1)));
        Assert.Equal([new OrderView(1, 1, Buy, 100, 2)], _g.L3(Buy));
    }
}
