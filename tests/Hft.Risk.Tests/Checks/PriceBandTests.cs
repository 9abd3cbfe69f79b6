using Hft.Core.Events;
using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Checks;

public class PriceBandTests
{
    private static RiskPipeline Market(int account = 1)
    {
        var p = new RiskPipeline();
        p.Declare(account);
        p.Inst(0).BandPct = A("10");
        p.Inst(0).Mark = 100;
        return p;
    }

    [Theory]
    [InlineData(109, RejectReason.None)]
    [InlineData(110, RejectReason.None)]
    [InlineData(111, RejectReason.PriceBand)]
    [InlineData(91, RejectReason.None)]
    [InlineData(90, RejectReason.None)]
    [InlineData(89, RejectReason.PriceBand)]
    public void Buy_limit_around_the_mark(long price, RejectReason expected)
        => Assert.Equal(expected, Market().Submit(Cmd.Buy(1, 1, price, 1)).Rejection());

    [Theory]
    [InlineData(109, RejectReason.None)]
    [InlineData(110, RejectReason.None)]
    [InlineData(111, RejectReason.PriceBand)]
    [InlineData(91, RejectReason.None)]
    [InlineData(90, RejectReason.None)]
    [InlineData(89, RejectReason.PriceBand)]
    public void Sell_limit_around_the_mark(long price, RejectReason expected)
        => Assert.Equal(expected, Market().Submit(Cmd.Sell(1, 1, price, 1)).Rejection());

    [Theory]
    [InlineData(115, RejectReason.None)]      // 10 ≤ 10.5
    [InlineData(116, RejectReason.PriceBand)] // 11 > 10.5
    [InlineData(95, RejectReason.None)]
    [InlineData(94, RejectReason.PriceBand)]
    public void The_last_trade_is_the_reference_over_the_mark(long price, RejectReason expected)
    {
        var p = Market();
        p.Submit(Cmd.Sell(1, 2, 105, 1));
        Assert.Single(p.Submit(Cmd.Buy(2, 2, 105, 1)).Trades());
        Assert.Equal(105, p.Inst(0).ReferencePrice);
        Assert.Equal(expected, p.Submit(Cmd.Buy(3, 1, price, 1)).Rejection());
        Assert.Equal(expected, p.Submit(Cmd.Sell(4, 1, price, 1)).Rejection());
    }

    [Fact]
    public void Without_a_reference_price_no_band_applies()
    {
        var p = new RiskPipeline();
        p.Declare(1);
        p.Inst(0).BandPct = A("10");
        Assert.True(p.Submit(Cmd.Buy(1, 1, 1_000_000, 1)).Accepted());
        Assert.True(p.Submit(Cmd.Sell(2, 1, 2_000_000, 1)).Accepted());
    }

    [Fact]
    public void Undeclared_accounts_and_replaces_are_banded_too()
    {
        var p = Market();
        Assert.Equal(RejectReason.PriceBand, p.Submit(Cmd.Buy(1, 7, 111, 1)).Rejection());
        Assert.True(p.Submit(Cmd.Buy(2, 7, 110, 1)).Accepted());
        Assert.Equal(RejectReason.PriceBand, p.Submit(Cmd.Replace(2, 7, 111, 1)).Rejection());
        Assert.True(p.Submit(Cmd.Buy(3, 1, 100, 1)).Accepted());
        Assert.Equal(RejectReason.PriceBand, p.Submit(Cmd.Replace(3, 1, 89, 1)).Rejection());
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(3, 1, 90, 1)).Rejection());
    }
}
