using Hft.Core.Events;
using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Checks;

public class MaxNotionalTests
{
    [Theory]
    [InlineData(99, 10, RejectReason.None)]
    [InlineData(100, 10, RejectReason.None)]
    [InlineData(101, 10, RejectReason.MaxNotional)]
    [InlineData(91, 11, RejectReason.MaxNotional)] // 1001
    public void Price_times_quantity_under_at_and_over(long price, long qty, RejectReason expected)
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxOrderNotional = A("1000") });
        Assert.Equal(expected, p.Submit(Cmd.Buy(1, 1, price, qty)).Rejection());
        Assert.Equal(expected, p.Submit(Cmd.Sell(2, 1, price, qty, instrument: 1)).Rejection());
    }

    [Theory]
    [InlineData(4000, RejectReason.None)]      // 40.00 × 2.5 = 100
    [InlineData(4001, RejectReason.MaxNotional)] // 40.01 × 2.5 = 100.025
    public void Notional_uses_the_instrument_grid(long ticks, RejectReason expected)
    {
        var p = new RiskPipeline(null, null, ("0.01", "0.5"));
        p.Declare(1, new AccountLimits { MaxOrderNotional = A("100") });
        Assert.Equal(expected, p.Submit(Cmd.Buy(1, 1, ticks, 5)).Rejection());
    }

    [Fact]
    public void A_market_order_is_valued_at_the_reference_price()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxOrderNotional = A("1000") });
        p.Inst(0).Mark = 100;
        p.Submit(Cmd.Sell(1, 2, 100, 50));
        Assert.Equal(RejectReason.MaxNotional, p.Submit(Cmd.MarketBuy(2, 1, 11)).Rejection());
        Assert.Equal(10, p.Submit(Cmd.MarketBuy(3, 1, 10)).Trades().Sum(t => t.Quantity));
    }

    [Fact]
    public void A_replace_is_checked_at_its_new_price_and_quantity()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxOrderNotional = A("1000") });
        Assert.True(p.Submit(Cmd.Buy(1, 1, 90, 10)).Accepted());
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(1, 1, 100, 10)).Rejection());
        Assert.Equal(RejectReason.MaxNotional, p.Submit(Cmd.Replace(1, 1, 101, 10)).Rejection());
        Assert.Equal(RejectReason.MaxNotional, p.Submit(Cmd.Replace(1, 1, 50, 21)).Rejection());
    }
}
