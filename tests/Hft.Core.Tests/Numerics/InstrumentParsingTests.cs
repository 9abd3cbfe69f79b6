using System.Text;
using CsCheck;
using Hft.Core.Instruments;
using Hft.Core.Numerics;

namespace Hft.Core.Tests.Numerics;

/// <summary>Instrument.TryParsePrice / TryParseQuantity: decimal text to ticks and lots at the edge, and back.</summary>
public class InstrumentParsingTests
{
    private static readonly Instrument s_cents = new(0, "AAA", new ScaledUnit(1, 2), new ScaledUnit(1, 4)); // tick 0.01, lot 0.0001
    private static readonly Instrument s_quarters = new(1, "BBB", new ScaledUnit(25, 2), new ScaledUnit(5, 0)); // tick 0.25, lot 5

    private static (RejectReason, long) Price(Instrument i, string text) => (i.TryParsePrice(Encoding.UTF8.GetBytes(text), out long t), t);

    private static (RejectReason, long) Qty(Instrument i, string text) => (i.TryParseQuantity(Encoding.UTF8.GetBytes(text), out long l), l);

    [Theory]
    [InlineData("100.25", 10025)]
    [InlineData("0.50", 50)]
    [InlineData("0.01", 1)]
    [InlineData("1", 100)]
    [InlineData("1.", 100)]
    [InlineData("007.10", 710)]
    [InlineData("10000000000000", Instrument.MaxPriceTicks)]
    public void Prices_on_the_tick_grid_convert_to_ticks(string text, long ticks)
        => Assert.Equal((RejectReason.None, ticks), Price(s_cents, text));

    [Theory]
    [InlineData("0")]
    [InlineData("0.00")]
    [InlineData("-1")]
    [InlineData("-0.01")]
    [InlineData("0.015")]      // off the tick grid
    [InlineData("0.001")]
    [InlineData("1e5")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("10000000000000.01")] // one tick above the maximum
    [InlineData("99999999999999999999")]
    [InlineData("999999999999999999999999999999999999")]
    [InlineData("9999999999999999999999999999999999999")]
    [InlineData("0.0000000000000000001")]
    public void Bad_prices_are_invalid_price(string text)
        => Assert.Equal(RejectReason.InvalidPrice, Price(s_cents, text).Item1);

    [Fact]
    public void Coarse_tick_grids_accept_only_multiples_of_the_tick()
    {
        Assert.Equal((RejectReason.None, 7L), Price(s_quarters, "1.75"));
        Assert.Equal((RejectReason.None, 4L), Price(s_quarters, "1.000"));
        Assert.Equal(RejectReason.InvalidPrice, Price(s_quarters, "1.70").Item1);
        Assert.Equal(RejectReason.InvalidPrice, Price(s_quarters, "0.125").Item1);
    }

    [Theory]
    [InlineData("1.2345", 12345)]
    [InlineData("0.0001", 1)]
    [InlineData("2.50", 25000)]
    [InlineData("100000000", Instrument.MaxQuantityLots)]
    public void Quantities_on_the_lot_grid_convert_to_lots(string text, long lots)
        => Assert.Equal((RejectReason.None, lots), Qty(s_cents, text));

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0.00001")]
    [InlineData("100000000.0001")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData("one")]
    public void Bad_quantities_are_invalid_qty(string text)
        => Assert.Equal(RejectReason.InvalidQty, Qty(s_cents, text).Item1);

    [Fact]
    public void Lot_sizes_above_one_accept_only_multiples()
    {
        Assert.Equal((RejectReason.None, 3L), Qty(s_quarters, "15"));
        Assert.Equal((RejectReason.None, 3L), Qty(s_quarters, "15.0"));
        Assert.Equal(RejectReason.InvalidQty, Qty(s_quarters, "17").Item1);
        Assert.Equal(RejectReason.InvalidQty, Qty(s_quarters, "2.5").Item1);
    }

    [Fact]
    public void Formatting_trims_trailing_zeros()
    {
        Assert.Equal("100.25", s_cents.FormatPrice(10025));
        Assert.Equal("0.5", s_cents.FormatPrice(50));
        Assert.Equal("1", s_cents.FormatPrice(100));
        Assert.Equal("10000000000000", s_cents.FormatPrice(Instrument.MaxPriceTicks));
        Assert.Equal("1.2345", s_cents.FormatQuantity(12345));
        Assert.Equal("1.75", s_quarters.FormatPrice(7));
        Assert.Equal("15", s_quarters.FormatQuantity(3));
        Span<byte> buffer = stackalloc byte[42];
        int n = s_cents.FormatQuantity(25000, buffer);
        Assert.Equal("2.5", Encoding.ASCII.GetString(buffer[..n]));
        n = s_quarters.FormatPrice(1, buffer);
        Assert.Equal("0.25", Encoding.ASCII.GetString(buffer[..n]));
    }

    [Fact]
    public void Every_valid_price_and_quantity_round_trips_through_text()
    {
        Gen.Select(Gen.Long[1, Instrument.MaxPriceTicks], Gen.Long[1, Instrument.MaxQuantityLots], Gen.Bool).Sample((ticks, lots, coarse) =>
        {
            var ins = coarse ? s_quarters : s_cents;
            Assert.Equal((RejectReason.None, ticks), Price(ins, ins.FormatPrice(ticks)));
            Assert.Equal((RejectReason.None, lots), Qty(ins, ins.FormatQuantity(lots)));
        }, iter: 20_000);
    }
}
