using Hft.Core.Events;
using Hft.Risk.Tests.Support;

namespace Hft.Risk.Tests.Checks;

public class KillSwitchTests
{
    private static RiskPipeline TwoAccounts()
    {
        var p = new RiskPipeline();
        p.Declare(1);
        p.Declare(2);
        p.Submit(Cmd.Buy(1, 1, 100, 5));
        p.Submit(Cmd.Sell(2, 1, 120, 5));
        p.Submit(Cmd.Buy(3, 1, 50, 1, instrument: 1));
        p.Submit(Cmd.Sell(4, 1, 60, 2, instrument: 2));
        p.Submit(Cmd.Buy(5, 2, 99, 3));
        p.Submit(Cmd.Sell(6, 2, 61, 3, instrument: 2));
        return p;
    }

    [Fact]
    public void Cancels_every_open_order_of_the_account_on_every_instrument()
    {
        var p = TwoAccounts();
        var events = p.Kill(1);
        Assert.All(events, e =>
        {
            Assert.Equal(EventKind.Canceled, e.Kind);
            Assert.Equal(CancelReason.AccountDisabled, e.CancelReason);
            Assert.Equal(1, e.Account);
        });
        Assert.Equal([1L, 2, 3, 4], events.Select(e => e.OrderId).Order());
        Assert.Equal(0, p.Risk.Account(1).OpenOrders);
        Assert.Equal(0, p.LiveOrdersOf(1));
        Assert.Equal(Hft.Core.Numerics.Amount.Zero, p.Risk.Account(1).OpenNotional);
        Assert.Equal(2, p.Risk.Account(2).OpenOrders);
        Assert.Equal(2, p.LiveOrdersOf(2));
    }

    [Fact]
    public void Nothing_of_the_account_trades_afterwards_others_are_unaffected()
    {
        var p = TwoAccounts();
        p.Kill(1);
        Assert.Equal(RejectReason.AccountDisabled, p.Submit(Cmd.Buy(10, 1, 100, 1)).Rejection());
        Assert.Equal(RejectReason.AccountDisabled, p.Submit(Cmd.MarketSell(11, 1, 1)).Rejection());
        Assert.Equal(RejectReason.UnknownOrder, p.Submit(Cmd.Replace(1, 1, 100, 1)).Rejection());
        // account 2 still trades, and only against its own counterparties (not account 1's old orders)
        var sell = p.Submit(Cmd.Sell(12, 3, 90, 10));
        Assert.All(sell.Trades(), t => Assert.Equal(2, t.MakerAccount));
        Assert.Equal(3, sell.Trades().Sum(t => t.Quantity));
        Assert.Equal(0, p.Risk.Account(1).Position(0).Position);
        Assert.Equal(3, p.Risk.Account(2).Position(0).Position);
        Assert.True(p.Submit(Cmd.Buy(13, 2, 100, 1, instrument: 1)).Accepted());
    }

    [Fact]
    public void Re_enabling_lets_the_account_trade_again()
    {
        var p = TwoAccounts();
        p.Kill(1);
        Assert.Empty(p.Kill(1)); // idempotent: nothing left to cancel
        p.Risk.Account(1).Enabled = true;
        var trade = Assert.Single(p.Submit(Cmd.Sell(20, 1, 99, 1)).Trades());
        Assert.Equal(5, trade.MakerOrderId); // account 2's bid at 99 was behind account 1's 100, now best
        Assert.True(p.Submit(Cmd.Buy(21, 1, 98, 1)).Accepted());
        Assert.Equal(1, p.Risk.Account(1).OpenOrders);
        Assert.Equal(-1, p.Risk.Account(1).Position(0).Position);
    }

    [Fact]
    public void Kill_switch_on_an_undeclared_account_in_replay_mode_rejects_it_too()
    {
        var p = new RiskPipeline(new RiskOptions { RejectUndeclaredAccounts = false });
        p.Submit(Cmd.Buy(1, 7, 100, 1)); // account 7: tracked, never declared
        Assert.False(p.Risk.FindAccount(7)!.Declared);
        Assert.Single(p.Kill(7));
        Assert.Equal(RejectReason.AccountDisabled, p.Submit(Cmd.Buy(2, 7, 100, 1)).Rejection());
        Assert.Equal(RejectReason.AccountDisabled, p.Submit(Cmd.MarketSell(3, 7, 1)).Rejection());
        Assert.Equal(0, p.LiveOrdersOf(7));
        Assert.True(p.Submit(Cmd.Buy(4, 8, 100, 1)).Accepted()); // other undeclared accounts still unchecked
    }
}
