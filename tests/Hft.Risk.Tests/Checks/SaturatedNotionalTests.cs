using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;
using Hft.Risk.Tests.Support;

namespace Hft.Risk.Tests.Checks;

/// <summary>An order whose notional is beyond Amount's range must not leave the account's exposure stuck at the maximum.</summary>
public class SaturatedNotionalTests
{
    [Fact]
    public void A_huge_resting_order_saturates_exposure_only_while_it_rests()
    {
        var p = new RiskPipeline();
        var account = p.Declare(1);
        var small = OrderCommand.NewLimit(1, 1, 0, Side.Buy, 100, 2);
        p.Run(ref small);
        Assert.Equal(new Amount(200 * Amount.One), p.Risk.Exposure(account));

        var huge = OrderCommand.NewLimit(2, 1, 0, Side.Buy, Instrument.MaxPriceTicks, Instrument.MaxQuantityLots);
        p.Run(ref huge);
        Assert.True(p.Risk.Exposure(account).IsSaturated);
        Assert.Equal(1, account.SaturatedOpenOrders);

        var cancel = OrderCommand.Cancel(2, 1, 0);
        p.Run(ref cancel);
        Assert.Equal(0, account.SaturatedOpenOrders);
        Assert.Equal(new Amount(200 * Amount.One), p.Risk.Exposure(account));

        // With credit now set, the account still trades normally.
        account.Limits = new AccountLimits { Credit = new Amount(1_000 * Amount.One) };
        var next = OrderCommand.NewLimit(3, 1, 0, Side.Buy, 100, 5);
        var events = p.Run(ref next).ToArray();
        Assert.Equal(Hft.Core.Events.EventKind.Accepted, events[0].Kind);
    }

    [Fact]
    public void A_partly_filled_huge_order_keeps_the_count_until_it_is_gone()
    {
        var p = new RiskPipeline();
        var buyer = p.Declare(1);
        p.Declare(2);
        var huge = OrderCommand.NewLimit(1, 1, 0, Side.Buy, Instrument.MaxPriceTicks, Instrument.MaxQuantityLots);
        p.Run(ref huge);
        var sell = OrderCommand.NewLimit(2, 2, 0, Side.Sell, Instrument.MaxPriceTicks, 5);
        p.Run(ref sell);
        Assert.Equal(1, buyer.SaturatedOpenOrders);
        var cancel = OrderCommand.Cancel(1, 1, 0);
        p.Run(ref cancel);
        Assert.Equal(0, buyer.SaturatedOpenOrders);
        Assert.Equal(Amount.Zero, buyer.OpenNotional);
    }
}
