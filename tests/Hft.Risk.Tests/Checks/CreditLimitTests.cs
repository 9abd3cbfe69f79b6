using Hft.Core.Events;
using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Checks;

/// <summary>Exposure = Σ |position| × mark + Σ open quantity × limit price; worst case of resting and filled.</summary>
public class CreditLimitTests
{
    private static RiskPipeline WithCredit(string credit)
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { Credit = A(credit) });
        p.Inst(0).Mark = 100;
        p.Inst(1).Mark = 100;
        return p;
    }

    [Theory]
    [InlineData(9, RejectReason.None)]
    [InlineData(10, RejectReason.None)]
    [InlineData(11, RejectReason.CreditLimit)]
    public void Resting_orders_reserve_their_notional(long qty, RejectReason expected)
    {
        var p = WithCredit("1000");
        Assert.Equal(expected, p.Submit(Cmd.Buy(1, 1, 100, qty)).Rejection());
    }

    [Fact]
    public void Open_orders_across_instruments_add_up()
    {
        var p = WithCredit("1000");
        Assert.True(p.Submit(Cmd.Buy(1, 1, 100, 6)).Accepted());
        Assert.True(p.Submit(Cmd.Sell(2, 1, 100, 3, instrument: 1)).Accepted());
        Assert.Equal(A("900"), p.Risk.Exposure(p.Risk.Account(1)));
        Assert.Equal(RejectReason.CreditLimit, p.Submit(Cmd.Buy(3, 1, 101, 1)).Rejection());
        Assert.True(p.Submit(Cmd.Buy(4, 1, 100, 1)).Accepted());
        Assert.Equal(A("1000"), p.Risk.Exposure(p.Risk.Account(1)));
        Assert.Equal("1", p.Risk.Utilization(p.Risk.Account(1)));
        Assert.Equal(RejectReason.CreditLimit, p.Submit(Cmd.Buy(5, 1, 1, 1, instrument: 2)).Rejection());
    }

    [Fact]
    public void Positions_are_valued_at_the_mark()
    {
        var p = WithCredit("1500");
        p.Submit(Cmd.Sell(1, 2, 100, 5));
        p.Submit(Cmd.Buy(2, 1, 100, 5)); // long 5 at mark 100 = 500
        Assert.Equal(A("500"), p.Risk.Exposure(p.Risk.Account(1)));
        p.Inst(0).Mark = 120;
        Assert.Equal(A("600"), p.Risk.Exposure(p.Risk.Account(1)));
        Assert.Equal("0.4", p.Risk.Utilization(p.Risk.Account(1)));
        // resting 600 + 9 × 100 = 1500: at the limit; one more lot is over
        Assert.Equal(RejectReason.CreditLimit, p.Submit(Cmd.Sell(3, 1, 100, 10)).Rejection());
        Assert.True(p.Submit(Cmd.Sell(4, 1, 100, 9)).Accepted());
    }

    [Theory]
    [InlineData("2999", RejectReason.CreditLimit)]
    [InlineData("3000", RejectReason.None)]
    public void The_filled_case_counts_when_it_is_worse_than_resting(string credit, RejectReason expected)
    {
        // selling 15 at 50 reserves 750 resting, but filled it is a short of 15 valued at the mark 200 = 3000
        var p = WithCredit(credit);
        p.Inst(0).Mark = 200;
        Assert.Equal(expected, p.Submit(Cmd.Sell(1, 1, 50, 15)).Rejection());
    }

    [Fact]
    public void A_replace_that_increases_exposure_is_checked()
    {
        var p = WithCredit("1000");
        Assert.True(p.Submit(Cmd.Buy(1, 1, 100, 9)).Accepted());   // 900
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(1, 1, 101, 9)).Rejection()); // 909
        Assert.Equal(A("909"), p.Risk.Exposure(p.Risk.Account(1)));
        Assert.Equal(RejectReason.CreditLimit, p.Submit(Cmd.Replace(1, 1, 101, 10)).Rejection()); // 1010
        Assert.Equal(RejectReason.CreditLimit, p.Submit(Cmd.Replace(1, 1, 100, 11)).Rejection()); // 1100
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(1, 1, 100, 10)).Rejection()); // 1000
        Assert.Equal(A("1000"), p.Risk.Exposure(p.Risk.Account(1)));
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(1, 1, 100, 4)).Rejection()); // reduction
        Assert.Equal(A("400"), p.Risk.Exposure(p.Risk.Account(1)));
    }

    [Fact]
    public void Without_a_mark_a_position_is_valued_at_the_last_trade()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { Credit = A("10000") });
        p.Submit(Cmd.Sell(1, 2, 100, 5));
        p.Submit(Cmd.Buy(2, 1, 100, 5));
        p.Submit(Cmd.Sell(3, 2, 130, 1));
        p.Submit(Cmd.Buy(4, 2, 130, 1)); // last trade 130 between others
        Assert.Equal(A("650"), p.Risk.Exposure(p.Risk.Account(1)));
    }
}
