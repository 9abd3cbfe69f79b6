using Hft.Core.Events;
using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Checks;

/// <summary>Worst case: the position if the order and every open order of its side filled.</summary>
public class MaxPositionTests
{
    [Theory]
    [InlineData(9, RejectReason.None)]
    [InlineData(10, RejectReason.None)]
    [InlineData(11, RejectReason.MaxPosition)]
    public void Flat_account_both_sides(long qty, RejectReason expected)
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxPosition = A("10") });
        Assert.Equal(expected, p.Submit(Cmd.Buy(1, 1, 100, qty)).Rejection());
        Assert.Equal(expected, p.Submit(Cmd.Sell(2, 1, 200, qty, instrument: 1)).Rejection());
    }

    [Fact]
    public void Long_position_and_open_buys_count_toward_the_buy_side()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxPosition = A("10") });
        p.Submit(Cmd.Sell(1, 2, 100, 6));
        Assert.Single(p.Submit(Cmd.Buy(2, 1, 100, 6)).Trades()); // long 6
        Assert.Equal(6, p.Risk.Account(1).Position(0).Position);
        Assert.True(p.Submit(Cmd.Buy(3, 1, 90, 3)).Accepted());  // worst 9
        Assert.True(p.Submit(Cmd.Buy(4, 1, 90, 1)).Accepted());  // worst 10: at the limit
        Assert.Equal(RejectReason.MaxPosition, p.Submit(Cmd.Buy(5, 1, 90, 1)).Rejection()); // 11
        Assert.Equal(RejectReason.MaxPosition, p.Submit(Cmd.MarketBuy(6, 1, 1)).Rejection());
        // open buys do not count against the sell side: long 6 selling 16 ends short 10
        Assert.True(p.Submit(Cmd.Sell(7, 1, 120, 16)).Accepted());
        Assert.Equal(RejectReason.MaxPosition, p.Submit(Cmd.Sell(8, 1, 120, 1)).Rejection()); // short 11
        // canceling an open order frees its worst case
        p.Submit(Cmd.Cancel(4, 1));
        Assert.True(p.Submit(Cmd.Buy(9, 1, 90, 1)).Accepted());
    }

    [Fact]
    public void Short_position_and_open_sells_count_toward_the_sell_side()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxPosition = A("10") });
        p.Submit(Cmd.Buy(1, 2, 100, 4));
        p.Submit(Cmd.Sell(2, 1, 100, 4)); // short 4
        Assert.Equal(-4, p.Risk.Account(1).Position(0).Position);
        Assert.True(p.Submit(Cmd.Sell(3, 1, 110, 5)).Accepted());  // worst -9
        Assert.True(p.Submit(Cmd.Sell(4, 1, 110, 1)).Accepted());  // -10
        Assert.Equal(RejectReason.MaxPosition, p.Submit(Cmd.Sell(5, 1, 110, 1)).Rejection());
        Assert.True(p.Submit(Cmd.Buy(6, 1, 90, 14)).Accepted());   // -4 + 14 = +10
        Assert.Equal(RejectReason.MaxPosition, p.Submit(Cmd.Buy(7, 1, 90, 15, instrument: 0)).Rejection());
    }

    [Fact]
    public void A_replace_swaps_the_old_reservation_for_the_new()
    {
        var p = new RiskPipeline();
        p.Declare(1, new AccountLimits { MaxPosition = A("10") });
        p.Submit(Cmd.Buy(1, 1, 90, 6));
        p.Submit(Cmd.Buy(2, 1, 90, 4));
        Assert.Equal(RejectReason.MaxPosition, p.Submit(Cmd.Replace(2, 1, 90, 5)).Rejection());
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(2, 1, 91, 4)).Rejection());
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(2, 1, 91, 3)).Rejection());
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(2, 1, 92, 4)).Rejection());
        p.Submit(Cmd.Sell(3, 1, 200, 10));
        Assert.Equal(RejectReason.MaxPosition, p.Submit(Cmd.Replace(3, 1, 200, 11)).Rejection());
        Assert.Equal(RejectReason.None, p.Submit(Cmd.Replace(3, 1, 199, 10)).Rejection());
    }
}
