using Hft.Core.Numerics;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Positions;

/// <summary>PositionState by the average-cost method on a tick 1 / lot 1 grid (notional unit = 1 money).</summary>
public class AverageCostTests
{
    private static readonly Int128 Unit = Amount.One;

    private static PositionState Fills(params (bool Buy, long Qty, long Price)[] fills)
    {
        var pos = new PositionState();
        foreach (var f in fills) pos.ApplyFill(f.Buy, f.Qty, f.Price, Unit, Amount.Zero);
        return pos;
    }

    private static void Expect(in PositionState pos, long position, string cost, string realized)
    {
        Assert.Equal(position, pos.Position);
        Assert.Equal(A(cost), pos.Cost);
        Assert.Equal(A(realized), pos.Realized);
    }

    [Fact]
    public void Open_long_and_short()
    {
        Expect(Fills((true, 10, 100)), 10, "1000", "0");
        Expect(Fills((false, 10, 100)), -10, "-1000", "0");
        Assert.True(Fills((true, 1, 1)).Active);
    }

    [Fact]
    public void Add_averages_the_entry()
    {
        var pos = Fills((true, 10, 100), (true, 10, 110));
        Expect(pos, 20, "2100", "0"); // average 105
        Expect(Fills((false, 10, 100), (false, 30, 80)), -40, "-3400", "0");
    }

    [Fact]
    public void Partial_close_realizes_against_the_average_and_keeps_it()
    {
        var pos = Fills((true, 10, 100), (true, 10, 110), (false, 5, 120));
        Expect(pos, 15, "1575", "75"); // 5 × (120 − 105); still 105 average
        var shortPos = Fills((false, 10, 100), (true, 4, 90));
        Expect(shortPos, -6, "-600", "40");
    }

    [Fact]
    public void Full_close_zeroes_cost()
    {
        Expect(Fills((true, 10, 100), (true, 10, 110), (false, 5, 120), (false, 15, 100)), 0, "0", "0");
        Expect(Fills((false, 3, 100), (true, 3, 101)), 0, "0", "-3");
    }

    [Fact]
    public void Flip_long_to_short_opens_the_excess_at_the_fill_price()
    {
        Expect(Fills((true, 10, 100), (false, 15, 90)), -5, "-450", "-100");
    }

    [Fact]
    public void Flip_short_to_long_opens_the_excess_at_the_fill_price()
    {
        Expect(Fills((false, 10, 100), (true, 15, 110)), 5, "550", "-100");
    }

    [Fact]
    public void A_share_of_an_uneven_cost_basis_is_rounded_half_away_from_zero()
    {
        var pos = Fills((true, 1, 100), (true, 1, 101), (true, 1, 101)); // cost 302, average 100.666…
        pos.ApplyFill(false, 1, 101, Unit, Amount.Zero);
        Assert.Equal(A("201.333333333333333333"), pos.Cost);
        Assert.Equal(A("0.333333333333333333"), pos.Realized);
        pos.ApplyFill(false, 2, 101, Unit, Amount.Zero);
        Assert.Equal(Amount.Zero, pos.Cost);
        Assert.Equal(A("1"), pos.Realized); // rounding does not leak: 3 × 101 − 302
    }

    [Fact]
    public void Fees_are_netted_from_realized()
    {
        var pos = new PositionState();
        pos.ApplyFill(true, 10, 100, Unit, A("0.2"));
        pos.ApplyFill(false, 10, 101, Unit, A("-0.1"));
        Assert.Equal(A("0.1"), pos.Fees);
        Assert.Equal(A("9.9"), pos.Realized); // 10 − 0.2 + 0.1
    }

    [Fact]
    public void Unrealized_is_position_at_mark_minus_cost()
    {
        var pos = Fills((true, 10, 100), (true, 10, 110));
        Assert.Equal(A("-100"), pos.Unrealized(100, Unit));
        Assert.Equal(A("100"), pos.Unrealized(110, Unit));
        var shortPos = Fills((false, 4, 100));
        Assert.Equal(A("40"), shortPos.Unrealized(90, Unit));
        Assert.Equal(Amount.Zero, shortPos.Unrealized(0, Unit)); // no mark: none
        Assert.Equal(Amount.Zero, Fills((true, 1, 1), (false, 1, 5)).Unrealized(3, Unit));
    }

    [Fact]
    public void Fractional_grid_uses_the_notional_unit()
    {
        // tick 0.5, lot 0.1: 1 lot × 1 tick = 0.05 money
        var inst = new RiskInstrument(new Hft.Core.Instruments.Instrument(0, "P", new ScaledUnit(5, 1), new ScaledUnit(1, 1)));
        Assert.Equal(A("0.05").Raw, inst.NotionalUnit);
        var pos = new PositionState();
        pos.ApplyFill(true, 10, 200, inst.NotionalUnit, Amount.Zero);  // 1 @ 100
        pos.ApplyFill(false, 4, 202, inst.NotionalUnit, Amount.Zero); // 0.4 @ 101
        Assert.Equal(6, pos.Position);
        Assert.Equal(A("0.4"), pos.Realized);
        Assert.Equal(A("60"), pos.Cost);
        Assert.Equal(A("-1.2"), pos.Unrealized(196, inst.NotionalUnit)); // 0.6 × (98 − 100)
    }
}
