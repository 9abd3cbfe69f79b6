using Hft.Core.Events;
using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Checks;

public class UndeclaredAccountTests
{
    [Fact]
    public void Replay_mode_leaves_undeclared_accounts_unchecked_but_tracked()
    {
        var p = new RiskPipeline(new RiskOptions { RejectUndeclaredAccounts = false });
        p.Declare(1, new AccountLimits { MaxOrderQty = A("1"), Credit = A("1") });
        Assert.Equal(RejectReason.MaxQty, p.Submit(Cmd.Buy(1, 1, 100, 5)).Rejection());
        // account 7 was never declared: the same (and much larger) orders pass
        Assert.True(p.Submit(Cmd.Buy(2, 7, 100, 1_000_000)).Accepted());
        Assert.Single(p.Submit(Cmd.MarketSell(3, 8, 10)).Trades()); // no reference needed either
        var tracked = p.Risk.FindAccount(7)!;
        Assert.False(tracked.Declared);
        Assert.Equal(10, tracked.Position(0).Position);
        Assert.Equal(1, tracked.OpenOrders);
        Assert.Equal(-10, p.Risk.FindAccount(8)!.Position(0).Position);
    }

    [Fact]
    public void Venue_mode_rejects_undeclared_accounts()
    {
        var p = new RiskPipeline(new RiskOptions { RejectUndeclaredAccounts = true });
        p.Declare(1);
        Assert.Equal(RejectReason.AccountDisabled, p.Submit(Cmd.Buy(1, 7, 100, 1)).Rejection());
        Assert.Equal(RejectReason.AccountDisabled, p.Submit(Cmd.MarketBuy(2, 7, 1)).Rejection());
        p.Risk.Account(8); // known to risk but never declared: still rejected
        Assert.Equal(RejectReason.AccountDisabled, p.Submit(Cmd.Buy(3, 8, 100, 1)).Rejection());
        Assert.True(p.Submit(Cmd.Buy(4, 1, 100, 1)).Accepted());
        Assert.Equal(0, p.Engine.Orders.Live - 1);
    }
}
