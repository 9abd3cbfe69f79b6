using System.Text;
using Hft.Core.Numerics;

namespace Hft.Core.Tests.Numerics;

/// <summary>DecimalText.TryParse on good and hostile text: exact mantissa/scale, trailing zeros dropped, no floats.</summary>
public class DecimalTextParseTests
{
    private static (DecimalParseStatus Status, UInt128 Mantissa, int Scale) Parse(string text)
    {
        var status = DecimalText.TryParse(Encoding.UTF8.GetBytes(text), out var m, out var s);
        return (status, m, s);
    }

    [Theory]
    [InlineData("0", 0, 0)]
    [InlineData("0.0", 0, 0)]
    [InlineData("-0", 0, 0)]
    [InlineData("7", 7, 0)]
    [InlineData("1.", 1, 0)]
    [InlineData(".5", 5, 1)]
    [InlineData("0.50", 5, 1)]
    [InlineData("0.05", 5, 2)]
    [InlineData("100", 100, 0)]
    [InlineData("100.00", 100, 0)]
    [InlineData("000123.4500", 12345, 2)]
    [InlineData("50000.01", 5000001, 2)]
    [InlineData("0.000000000000000001", 1, 18)]
    [InlineData("1.000000000000000000000000000000", 1, 0)]
    [InlineData("9223372036854775807", long.MaxValue, 0)]
    public void Plain_decimals_parse_exactly(string text, long mantissa, int scale)
        => Assert.Equal((DecimalParseStatus.Ok, (UInt128)mantissa, scale), Parse(text));

    [Fact]
    public void Thirty_six_significant_digits_are_kept_exactly()
    {
        string nines = new('9', 36);
        Assert.Equal((DecimalParseStatus.Ok, DecimalText.Pow10(36) - 1, 0), Parse(nines));
        Assert.Equal((DecimalParseStatus.Ok, DecimalText.Pow10(36) - 1, 18), Parse(nines[..18] + "." + nines[18..]));
        Assert.Equal((DecimalParseStatus.Ok, (UInt128)1, 0), Parse(new string('0', 200) + "1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("-.")]
    [InlineData("1.2.3")]
    [InlineData("..1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1e5")]
    [InlineData("1E5")]
    [InlineData("1,000")]
    [InlineData("1_000")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("--1")]
    [InlineData("-+1")]
    [InlineData("1-")]
    [InlineData("\u0661")]  // Arabic-Indic digit one
    [InlineData("\uFF11")]  // full-width digit one
    [InlineData("1\0")]
    public void Anything_but_plain_decimal_text_is_malformed(string text)
        => Assert.Equal(DecimalParseStatus.Malformed, Parse(text).Status);

    [Theory]
    [InlineData("-1")]
    [InlineData("-0.01")]
    [InlineData("-100.5")]
    public void Negative_numbers_are_reported_as_negative(string text)
        => Assert.Equal(DecimalParseStatus.Negative, Parse(text).Status);

    [Fact]
    public void Too_many_digits_or_too_fine_a_scale_overflow()
    {
        Assert.Equal(DecimalParseStatus.Overflow, Parse(new string('9', 37)).Status);
        Assert.Equal(DecimalParseStatus.Overflow, Parse("1" + new string('0', 36)).Status);
        Assert.Equal(DecimalParseStatus.Overflow, Parse(new string('1', 20) + "." + new string('1', 17)).Status);
        Assert.Equal(DecimalParseStatus.Overflow, Parse("0.0000000000000000001").Status); // scale 19
        Assert.Equal(DecimalParseStatus.Overflow, Parse(new string('9', 10_000)).Status);
    }
}
