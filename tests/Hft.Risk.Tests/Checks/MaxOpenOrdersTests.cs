using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Core.Events;
using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Checks;

public class MaxOpenOrdersTests
{
    [Fact]
    public void Under_at_and_over_the_count()
    {
        var p = new RiskPipeline();
        var a = p.Declare(1, new AccountLimits { MaxOpenOrders = 2 });
        Assert.True(p.Submit(Cmd.Buy(1, 1, 100, 1)).Accepted());
        Assert.Equal(1, a.OpenOrders);
        Assert.True(p.Submit(Cmd.Sell(2, 1, 200, 1, instrument: 1)).Accepted()); // counted across instruments
        Assert.Equal(2, a.OpenOrders);
        Assert.Equal(RejectReason.MaxOpenOrders, p.Submit(Cmd.Buy(3, 1, 99, 1)).Rejection());
        Assert.Equal(RejectReason.MaxOpenOrders, p.Submit(Cmd.Buy(4, 1, 99, 1, instrument: 2)).Rejection());
    }

    [Fact]
    public void Canceled_and_filled_orders_free_their_slot()
    {
        var p = new RiskPipeline();
        var a = p.Declare(1, new AccountLimits { MaxOpenOrders = 2 });
        p.Submit(Cmd.Buy(1, 1, 100, 1));
        p.Submit(Cmd.Buy(2, 1, 99, 5));
        p.Submit(Cmd.Cancel(1, 1));
        Assert.Equal(1, a.OpenOrders);
        Assert.True(p.Submit(Cmd.Buy(3, 1, 98, 1)).Accepted());
        Assert.Equal(RejectReason.MaxOpenOrders, p.Submit(Cmd.Buy(4, 1, 97, 1)).Rejection());

        p.Submit(Cmd.Sell(5, 2, 99, 2)); // partial fill of order 2 keeps it open
        Assert.Equal(2, a.OpenOrders);
        p.Submit(Cmd.Sell(6, 2, 99, 3)); // completes order 2
        Assert.Equal(1, a.OpenOrders);
        Assert.True(p.Submit(Cmd.Buy(7, 1, 97, 1)).Accepted());
        Assert.Equal(2, a.OpenOrders);
    }

    [Fact]
    public void A_replace_does_not_count_as_another_order()
    {
        var p = new RiskPipeline();
        var a = p.Declare(1, new AccountLimits { MaxOpenOrders = 1 });
        p.Submit(Cmd.Buy(1, 1, 100, 1));
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(1, 1, 101, 3)).Rejection());
        Assert.Equal(1, a.OpenOrders);
    }

    [Fact]
    public void Orders_that_cannot_rest_are_not_counted_against_the_limit()
    {
        var p = new RiskPipeline();
        p.Declare(2);
        p.Submit(Cmd.Sell(1, 2, 100, 10));
        var a = p.Declare(1, new AccountLimits { MaxOpenOrders = 1 });
        p.Submit(Cmd.Buy(2, 1, 90, 1));
        Assert.Equal(1, a.OpenOrders);
        var ioc = OrderCommand.NewLimit(3, 1, 0, Side.Buy, 100, 1, TimeInForce.Ioc);
        Assert.True(p.Submit(ioc).Accepted());
        var market = OrderCommand.NewMarket(4, 1, 0, Side.Buy, 1);
        Assert.True(p.Submit(market).Accepted());
        Assert.Equal(RejectReason.MaxOpenOrders, p.Submit(Cmd.Buy(5, 1, 91, 1)).Rejection());
    }
}
