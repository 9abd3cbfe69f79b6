using Hft.Risk.Tests.Support;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Positions;

/// <summary>Maker and taker fees in basis points of notional, applied by settlement (RiskStage.Apply).</summary>
public class FeeTests
{
    [Fact]
    public void Maker_rebate_and_taker_fee()
    {
        var p = new RiskPipeline();
        var maker = p.Declare(1, new AccountLimits { MakerFeeBps = A("-1"), TakerFeeBps = A("2") });
        var taker = p.Declare(2, new AccountLimits { MakerFeeBps = A("-1"), TakerFeeBps = A("2.5") });
        p.Submit(Cmd.Sell(1, 1, 100, 10));
        p.Submit(Cmd.Buy(2, 2, 100, 10)); // notional 1000
        Assert.Equal(A("-0.1"), maker.Position(0).Fees);
        Assert.Equal(A("0.1"), maker.Position(0).Realized);
        Assert.Equal(A("0.25"), taker.Position(0).Fees);
        Assert.Equal(A("-0.25"), taker.Position(0).Realized);

        // closing trade: maker role swaps
        p.Submit(Cmd.Sell(3, 2, 110, 10));
        p.Submit(Cmd.Buy(4, 1, 110, 10)); // notional 1100
        Assert.Equal(A("0.12"), maker.Position(0).Fees);          // −0.1 + 0.22
        Assert.Equal(A("-100.12"), maker.Position(0).Realized);   // −100 − fees
        Assert.Equal(A("0.14"), taker.Position(0).Fees);          // 0.25 − 0.11
        Assert.Equal(A("99.86"), taker.Position(0).Realized);
    }

    [Fact]
    public void Fees_round_half_away_from_zero_at_18_decimals()
    {
        var p = new RiskPipeline(null, null, ("0.5", "0.1"));
        var b = p.Declare(1, new AccountLimits { TakerFeeBps = A("2"), MakerFeeBps = A("-1") });
        p.Declare(2);
        p.Submit(Cmd.Sell(1, 2, 200, 10));
        p.Submit(Cmd.Buy(2, 1, 200, 10));   // taker: 100 × 2bps = 0.02
        p.Submit(Cmd.Buy(3, 2, 202, 4));
        p.Submit(Cmd.Sell(4, 1, 202, 4));   // taker: 40.4 × 2bps = 0.00808
        p.Submit(Cmd.Sell(5, 1, 198, 10));  // maker sells 1 @ 99
        p.Submit(Cmd.Buy(6, 2, 198, 10));   // rebate 99 × 1bps = −0.0099
        Assert.Equal(A("0.01818"), b.Position(0).Fees);
        Assert.Equal(-4, b.Position(0).Position);
    }
}
