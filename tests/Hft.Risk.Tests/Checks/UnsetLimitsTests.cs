using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Checks;

/// <summary>A limit that is not set does not limit; setting one limit leaves the others open.</summary>
public class UnsetLimitsTests
{
    [Fact]
    public void A_declared_account_without_limits_takes_any_valid_order()
    {
        var p = new RiskPipeline();
        var a = p.Declare(1, AccountLimits.Unlimited);
        for (int i = 0; i < 200; i++)
            Assert.True(p.Submit(Cmd.Buy(i + 1, 1, Instrument.MaxPriceTicks - i, Instrument.MaxQuantityLots)).Accepted());
        Assert.Equal(200, a.OpenOrders);
        Assert.True(p.Risk.Exposure(a).IsSaturated); // 10^27 per order: saturates, still no limit to compare
        Assert.Equal("0", p.Risk.Utilization(a));
    }

    [Theory]
    [InlineData("qty")]
    [InlineData("notional")]
    [InlineData("open")]
    [InlineData("position")]
    [InlineData("credit")]
    public void Each_limit_alone_rejects_only_for_its_own_reason(string which)
    {
        var limits = which switch
        {
            "qty" => new AccountLimits { MaxOrderQty = A("10") },
            "notional" => new AccountLimits { MaxOrderNotional = A("1000") },
            "open" => new AccountLimits { MaxOpenOrders = 1 },
            "position" => new AccountLimits { MaxPosition = A("10") },
            _ => new AccountLimits { Credit = A("1000") },
        };
        var p = new RiskPipeline();
        p.Declare(1, limits);
        p.Inst(0).Mark = 100;
        var reasons = new[]
        {
            p.Submit(Cmd.Buy(1, 1, 100, 10)).Rejection(),
            p.Submit(Cmd.Buy(2, 1, 100, 11)).Rejection(),
            p.Submit(Cmd.Buy(3, 1, 101, 1)).Rejection(),
        }.Where(r => r != RejectReason.None).Distinct().ToArray();
        var expected = which switch
        {
            "qty" => RejectReason.MaxQty,
            "notional" => RejectReason.MaxNotional,
            "open" => RejectReason.MaxOpenOrders,
            "position" => RejectReason.MaxPosition,
            _ => RejectReason.CreditLimit,
        };
        Assert.Equal([expected], reasons);
    }
}
