using Hft.Core.Events;
using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Checks;

public class MaxQtyTests
{
    [Theory]
    [InlineData(9, RejectReason.None)]
    [InlineData(10, RejectReason.None)]
    [InlineData(11, RejectReason.MaxQty)]
    public void Lots_of_one_unit_under_at_and_over(long qty, RejectReason expected)
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxOrderQty = A("10") });
        Assert.Equal(expected, p.Submit(Cmd.Buy(1, 1, 100, qty)).Rejection());
        Assert.Equal(expected, p.Submit(Cmd.Sell(2, 1, 200, qty)).Rejection());
    }

    [Theory]
    [InlineData(99_999, RejectReason.None)]
    [InlineData(100_000, RejectReason.None)]
    [InlineData(100_001, RejectReason.MaxQty)] // 10.0001 > 10
    public void Fractional_lots_are_compared_in_instrument_units(long lots, RejectReason expected)
    {
        var p = new RiskPipeline(null, null, ("0.01", "0.0001"));
        p.Declare(1, new AccountLimits { MaxOrderQty = A("10") });
        Assert.Equal(expected, p.Submit(Cmd.Buy(1, 1, 100, lots)).Rejection());
    }

    [Fact]
    public void Market_orders_and_replaces_are_checked_too()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxOrderQty = A("10") });
        p.Submit(Cmd.Sell(1, 2, 100, 50));
        Assert.Equal(RejectReason.MaxQty, p.Submit(Cmd.MarketBuy(2, 1, 11)).Rejection());
        Assert.Equal(10, p.Submit(Cmd.MarketBuy(3, 1, 10)).Trades().Sum(t => t.Quantity));

        Assert.True(p.Submit(Cmd.Buy(4, 1, 90, 5)).Accepted());
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(4, 1, 90, 10)).Rejection());
        Assert.Equal(RejectReason.MaxQty, p.Submit(Cmd.Replace(4, 1, 90, 11)).Rejection());
        Assert.Equal(RejectReason.MaxQty, p.Submit(Cmd.Replace(4, 1, 91, 11)).Rejection());
        Assert.True(p.Engine.TryGetOrder(4, out var live));
        Assert.Equal(10, live.Remaining);
    }
}
