using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Risk.Tests.Support;

namespace Hft.Risk.Tests.Checks;

public class HaltTests
{
    [Fact]
    public void Halted_instrument_rejects_new_and_replace_but_allows_cancel()
    {
        var p = new RiskPipeline();
        var a = p.Declare(1);
        p.Submit(Cmd.Buy(1, 1, 100, 5));
        p.Submit(Cmd.Buy(2, 1, 99, 5));
        p.Submit(Cmd.Buy(3, 7, 98, 5)); // undeclared
        p.Inst(0).Halted = true;

        Assert.Equal(RejectReason.InstrumentHalted, p.Submit(Cmd.Buy(4, 1, 100, 1)).Rejection());
        Assert.Equal(RejectReason.InstrumentHalted, p.Submit(Cmd.Sell(5, 7, 100, 1)).Rejection()); // undeclared too
        Assert.Equal(RejectReason.InstrumentHalted, p.Submit(Cmd.MarketSell(6, 1, 1)).Rejection());
        Assert.Equal(RejectReason.InstrumentHalted, p.Submit(Cmd.Replace(1, 1, 100, 4)).Rejection()); // even a reduction
        Assert.Equal(RejectReason.InstrumentHalted, p.Submit(Cmd.Replace(1, 1, 101, 5)).Rejection());
        Assert.True(p.Engine.TryGetOrder(1, out var o1));
        Assert.Equal(5, o1.Remaining);

        var canceled = p.Submit(Cmd.Cancel(1, 1));
        Assert.Equal(EventKind.Canceled, Assert.Single(canceled).Kind);
        Assert.Equal(1, a.OpenOrders);
        var mass = p.Engine.Process(OrderCommand.MassCancel(1, 0, CancelReason.User)).ToArray();
        p.Risk.Apply(mass);
        Assert.Single(mass);
        Assert.Equal(0, a.OpenOrders);

        // other instruments trade on; resuming accepts again
        Assert.True(p.Submit(Cmd.Buy(8, 1, 100, 1, instrument: 1)).Accepted());
        p.Inst(0).Halted = false;
        var trade = Assert.Single(p.Submit(Cmd.Sell(9, 1, 98, 5)).Trades()); // against account 7's resting bid
        Assert.Equal(3, trade.MakerOrderId);
        Assert.Equal(-5, a.Position(0).Position);
    }
}
