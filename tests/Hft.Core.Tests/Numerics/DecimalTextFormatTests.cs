using System.Text;
using CsCheck;
using Hft.Core.Numerics;

namespace Hft.Core.Tests.Numerics;

/// <summary>DecimalText.Format: plain text, trailing fractional zeros trimmed, never an exponent; round-trips with TryParse.</summary>
public class DecimalTextFormatTests
{
    [Theory]
    [InlineData(0, 0, "0")]
    [InlineData(0, 5, "0")]
    [InlineData(5, 2, "0.05")]
    [InlineData(50, 2, "0.5")]
    [InlineData(100, 2, "1")]
    [InlineData(12345, 2, "123.45")]
    [InlineData(1000, 0, "1000")]
    [InlineData(-5, 3, "-0.005")]
    [InlineData(-1230, 1, "-123")]
    [InlineData(1, 18, "0.000000000000000001")]
    [InlineData(long.MaxValue, 0, "9223372036854775807")]
    [InlineData(long.MaxValue, 18, "9.223372036854775807")]
    public void Formats_plain_decimal_text(long mantissa, int scale, string expected)
        => Assert.Equal(expected, DecimalText.ToString(mantissa, scale));

    [Fact]
    public void Formats_the_extremes_of_int128_without_exponent()
    {
        Assert.Equal(Int128.MaxValue.ToString(), DecimalText.ToString(Int128.MaxValue, 0));
        Assert.Equal(Int128.MinValue.ToString(), DecimalText.ToString(Int128.MinValue, 0));
        Assert.Equal("1" + new string('0', 18) + "." + new string('0', 17) + "1", DecimalText.ToString((Int128)DecimalText.Pow10(36) + 1, 18));
    }

    [Fact]
    public void Span_overload_writes_the_same_bytes_and_returns_the_length()
    {
        Span<byte> buffer = stackalloc byte[42];
        int n = DecimalText.Format(-1234500, 4, buffer);
        Assert.Equal("-123.45", Encoding.ASCII.GetString(buffer[..n]));
    }

    [Fact]
    public void Format_then_parse_gives_the_canonical_value_back()
    {
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Int[0, DecimalText.MaxScale]).Sample((mantissa, scale) =>
        {
            string text = DecimalText.ToString(mantissa, scale);
            Assert.DoesNotContain("E", text, StringComparison.OrdinalIgnoreCase);
            Assert.False(text.Contains('.') && text.EndsWith('0'), $"trailing zero in {text}");
            Assert.Equal(DecimalParseStatus.Ok, DecimalText.TryParse(Encoding.ASCII.GetBytes(text), out var m, out var s));
            // the same number: m × 10^-s == mantissa × 10^-scale
            Assert.Equal((UInt128)mantissa * DecimalText.Pow10(DecimalText.MaxScale - scale), m * DecimalText.Pow10(DecimalText.MaxScale - s));
        }, iter: 20_000);
    }
}
