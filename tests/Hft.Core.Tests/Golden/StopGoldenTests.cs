using static Hft.Core.Orders.Side;

namespace Hft.Core.Tests.Golden;

/// <summary>Stop and take-profit orders, hand-derived: firing on the last trade, firing order, cascades, rejects, replace.</summary>
public class StopGoldenTests
{
    private readonly GoldenEngine _g = new();

    /// <summary>Sets the last trade price of instrument 0 to <paramref name="price"/> with a one-lot trade between accounts 8 and 9.</summary>
    private void LastTradeAt(long price, long id)
    {
        _g.Rest(Cmd.Limit(id, 8, Buy, price, 1));
        Assert.Contains(_g.Run(Cmd.Limit(id + 1, 9, Sell, price, 1)), e => e.StartsWith("trade"));
    }

    [Fact]
    public void A_trade_fires_stops_in_trigger_then_time_order_and_fired_orders_cascade_breadth_first()
    {
        LastTradeAt(100, 90);
        _g.Rest(Cmd.Limit(1, 1, Sell, 101, 1), Cmd.Limit(2, 1, Sell, 102, 1), Cmd.Limit(3, 1, Sell, 103, 5));
        _g.Rest(
            Cmd.Stop(10, 3, Buy, OrderType.Stop, trigger: 101, qty: 1),
            Cmd.Stop(11, 3, Buy, OrderType.StopLimit, trigger: 102, qty: 2, price: 103),
            Cmd.Stop(12, 4, Buy, OrderType.Stop, trigger: 101, qty: 1));
        Assert.Empty(_g.L3(Buy)); // pending stops are no liquidity

        Assert.Equal(
        [
            Expect.Accepted(20, 2, Buy, 101, 1),
            Expect.Trade(101, 1, (20, 2), Buy, 0, (1, 1), 0),
            Expect.Triggered(10, 3, Buy, 0, 1), // trigger 101, entered first
            Expect.Trade(102, 1, (10, 3), Buy, 0, (2, 1), 0),
            Expect.Triggered(12, 4, Buy, 0, 1), // trigger 101, entered later; fired by the same trade as 10
            Expect.Trade(103, 1, (12, 4), Buy, 0, (3, 1), 4),
            Expect.Triggered(11, 3, Buy, 103, 2), // fired by 10's trade at 102: queued behind 12
            Expect.Trade(103, 2, (11, 3), Buy, 0, (3, 1), 2),
        ], _g.Run(Cmd.Limit(20, 2, Buy, 101, 1)));
        Assert.Equal(103, _g.Engine.Stops(0)!.LastTrade);
        Assert.Equal(0, _g.Engine.Stops(0)!.Count);
    }

    [Fact]
    public void Sell_stop_fires_on_a_falling_price_and_take_profits_fire_the_other_way()
    {
        LastTradeAt(100, 90);
        _g.Rest(Cmd.Limit(1, 1, Buy, 99, 3));
        _g.Rest(
            Cmd.Stop(10, 3, Sell, OrderType.StopLimit, trigger: 99, qty: 2, price: 98),
            Cmd.Stop(11, 3, Buy, OrderType.TakeProfit, trigger: 99, qty: 1),
            Cmd.Stop(12, 3, Sell, OrderType.TakeProfit, trigger: 101, qty: 1));
        Assert.Equal(
        [
            Expect.Accepted(20, 2, Sell, 99, 1),
            Expect.Trade(99, 1, (20, 2), Sell, 0, (1, 1), 2),
            Expect.Triggered(10, 3, Sell, 98, 2), // both fall-triggered at 99: time order
            Expect.Trade(99, 2, (10, 3), Sell, 0, (1, 1), 0),
            Expect.Triggered(11, 3, Buy, 0, 1),
            Expect.Canceled(11, 3, Buy, 0, 1, CancelReason.MarketNoLiquidity),
        ], _g.Run(Cmd.Limit(20, 2, Sell, 99, 1)));
        Assert.Equal([12L], BookComparison.PendingStops(_g.Engine, 0).Select(p => p.Id)); // the sell take-profit waits for a rise
    }

    [Fact]
    public void A_stop_the_last_trade_already_reached_is_rejected()
    {
        LastTradeAt(100, 90);
        Assert.Equal([Expect.Rejected(1, 1, CommandOp.New, RejectReason.WouldTriggerImmediately)],
            _g.Run(Cmd.Stop(1, 1, Buy, OrderType.Stop, trigger: 100, qty: 1)));
        Assert.Equal([Expect.Rejected(2, 1, CommandOp.New, RejectReason.WouldTriggerImmediately)],
            _g.Run(Cmd.Stop(2, 1, Sell, OrderType.TakeProfitLimit, trigger: 99, qty: 1, price: 99)));
        Assert.Equal([Expect.Rejected(3, 1, CommandOp.New, RejectReason.InvalidTriggerPrice)],
            _g.Run(Cmd.Stop(3, 1, Buy, OrderType.Stop, trigger: 0, qty: 1)));
    }

    [Fact]
    public void Replace_keeps_trigger_priority_unless_the_trigger_moves_or_the_quantity_grows()
    {
        LastTradeAt(100, 90);
        _g.Rest(Cmd.Stop(1, 1, Buy, OrderType.Stop, 105, 3), Cmd.Stop(2, 1, Buy, OrderType.Stop, 105, 3));
        Assert.Equal([Expect.Replaced(1, 1, Buy, 0, 2)], _g.Run(Cmd.ReplaceQty(1, 1, 2)));
        Assert.Equal([1L, 2L], BookComparison.PendingStops(_g.Engine, 0).Select(p => p.Id));
        Assert.Equal([Expect.Replaced(1, 1, Buy, 0, 4)], _g.Run(Cmd.ReplaceQty(1, 1, 4)));
        Assert.Equal([2L, 1L], BookComparison.PendingStops(_g.Engine, 0).Select(p => p.Id));
        var lower = Cmd.ReplaceQty(1, 1, 4);
        lower.TriggerPrice = 104;
        Assert.Equal([Expect.Replaced(1, 1, Buy, 0, 4)], _g.Run(lower));
        Assert.Equal([(1L, 104L, 4L), (2L, 105L, 3L)], BookComparison.PendingStops(_g.Engine, 0));
        Assert.Equal([Expect.Canceled(2, 1, Buy, 0, 3, CancelReason.User)], _g.Run(Cmd.Cancel(2, 1)));
    }
}
