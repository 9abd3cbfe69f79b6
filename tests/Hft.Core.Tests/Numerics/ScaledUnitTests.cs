using System.Text;
using Hft.Core.Numerics;

namespace Hft.Core.Tests.Numerics;

/// <summary>Grid steps (tick and lot sizes): parsing, validation, conversion of values into whole units.</summary>
public class ScaledUnitTests
{
    [Theory]
    [InlineData("0.01", 1, 2)]
    [InlineData("0.010", 1, 2)]
    [InlineData("0.25", 25, 2)]
    [InlineData("5", 5, 0)]
    [InlineData("0.0001", 1, 4)]
    [InlineData("0.000000000000000001", 1, 18)]
    public void Parses_positive_steps(string text, long mantissa, int scale)
    {
        Assert.True(ScaledUnit.TryParse(Encoding.ASCII.GetBytes(text), out var unit, out var error), error);
        Assert.Equal((mantissa, scale), (unit.Mantissa, unit.Scale));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.00")]
    [InlineData("-0.01")]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1e-2")]
    [InlineData("0.0000000000000000001")]
    [InlineData("9223372036854775807")]
    public void Refuses_zero_negative_malformed_and_huge_steps(string text)
    {
        Assert.False(ScaledUnit.TryParse(Encoding.ASCII.GetBytes(text), out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Constructor_refuses_non_positive_mantissa_and_bad_scale()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledUnit(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledUnit(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledUnit(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledUnit(1, DecimalText.MaxScale + 1));
    }

    [Fact]
    public void Converts_values_to_units_and_flags_off_grid_values()
    {
        var tick = new ScaledUnit(25, 2); // 0.25
        Assert.Equal(DecimalParseStatus.Ok, tick.TryToUnits(175, 2, 1000, out long units, out bool offGrid));
        Assert.Equal((7L, false), (units, offGrid));
        Assert.Equal(DecimalParseStatus.Malformed, tick.TryToUnits(17, 1, 1000, out _, out offGrid)); // 1.7
        Assert.True(offGrid);
        Assert.Equal(DecimalParseStatus.Overflow, tick.TryToUnits(1000, 0, 3999, out _, out offGrid)); // 4000 units > max
        Assert.False(offGrid);
        Assert.Equal(DecimalParseStatus.Overflow, new ScaledUnit(1, 18).TryToUnits(DecimalText.Pow10(36) - 1, 0, long.MaxValue, out _, out _));
    }

    [Fact]
    public void Formats_units_as_decimal_text()
    {
        Assert.Equal("0.01", new ScaledUnit(1, 2).ToString());
        Assert.Equal("1.75", new ScaledUnit(25, 2).ToString(7));
        Assert.Equal("15", new ScaledUnit(5, 0).ToString(3));
        Span<byte> buffer = stackalloc byte[42];
        int n = new ScaledUnit(1, 4).Format(12345, buffer);
        Assert.Equal("1.2345", Encoding.ASCII.GetString(buffer[..n]));
    }
}
