using Hft.Core.Events;
using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Checks;

public class NoReferencePriceTests
{
    [Fact]
    public void Market_order_with_a_credit_limit_needs_a_reference()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { Credit = A("1000000") });
        p.Submit(Cmd.Sell(1, 2, 100, 5));
        Assert.Equal(RejectReason.NoReferencePrice, p.Submit(Cmd.MarketBuy(2, 1, 1)).Rejection());
        p.Inst(0).Mark = 100;
        Assert.Single(p.Submit(Cmd.MarketBuy(3, 1, 1)).Trades());
    }

    [Fact]
    public void Market_order_with_a_notional_limit_needs_a_reference()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxOrderNotional = A("1000000") });
        p.Submit(Cmd.Buy(1, 2, 100, 5));
        Assert.Equal(RejectReason.NoReferencePrice, p.Submit(Cmd.MarketSell(2, 1, 1)).Rejection());
        p.Submit(Cmd.Sell(3, 2, 100, 1)); // a trade: last trade is a reference
        Assert.Single(p.Submit(Cmd.MarketSell(4, 1, 1)).Trades());
    }

    [Fact]
    public void Without_notional_or_credit_limits_no_reference_is_needed()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxOrderQty = A("10"), MaxPosition = A("10"), MaxOpenOrders = 1 });
        p.Submit(Cmd.Sell(1, 2, 100, 5));
        Assert.Single(p.Submit(Cmd.MarketBuy(2, 1, 1)).Trades());
    }

    [Fact]
    public void Limit_orders_carry_their_own_price()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { Credit = A("1000"), MaxOrderNotional = A("1000") });
        Assert.True(p.Submit(Cmd.Buy(1, 1, 100, 10)).Accepted());
    }
}
