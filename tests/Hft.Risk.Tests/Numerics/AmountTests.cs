using System.Text;
using Hft.Core.Numerics;
using static Hft.Risk.Tests.Support.Ev;

namespace Hft.Risk.Tests.Numerics;

public class AmountTests
{
    private static bool Parse(string s, out Amount a) => Amount.TryParse(Encoding.ASCII.GetBytes(s), out a);

    [Theory]
    [InlineData("0", "0")]
    [InlineData("12.5", "12.5")]
    [InlineData("12.500", "12.5")]
    [InlineData("-5", "-5")]
    [InlineData("-0.25", "-0.25")]
    [InlineData("0.000000000000000001", "0.000000000000000001")]
    [InlineData("+7", "7")]
    [InlineData("123456789012345678.123456789012345678", "123456789012345678.123456789012345678")] // 36 digits
    public void Parse_and_format_round_trip(string text, string formatted)
    {
        Assert.True(Parse(text, out var a));
        Assert.Equal(formatted, a.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.0000000000000000001")] // 19 decimals
    [InlineData("1234567890123456789.123456789012345678")] // 37 significant digits
    [InlineData("--5")]
    [InlineData("1e5")]
    public void Parse_rejects_malformed_and_out_of_range(string text) => Assert.False(Parse(text, out _));

    [Fact]
    public void Parse_is_exact()
    {
        Assert.Equal(Amount.One / 4, A("0.25").Raw);
        Assert.Equal(-Amount.One * 1000, A("-1000").Raw);
    }

    [Fact]
    public void Addition_saturates_and_stays_saturated()
    {
        Assert.Equal(Amount.Max, Amount.Max + A("1"));
        Assert.Equal(Amount.Min, Amount.Min - A("1"));
        Assert.Equal(Amount.Max, Amount.Max + Amount.Min); // saturation is sticky: the first operand wins
        Assert.Equal(Amount.Max, new Amount(Int128.MaxValue - 5) + new Amount(10));
        Assert.Equal(Amount.Min, new Amount(Int128.MinValue + 20) - new Amount(100));
        Assert.Equal(Amount.Min, -Amount.Max);
        Assert.Equal(Amount.Max, -Amount.Min);
        Assert.True((Amount.Max - A("1000000")).IsSaturated);
        Assert.True(Amount.Max > A("170141183460469231731"));
        Assert.Equal(A("3"), A("1") + A("2"));
        Assert.Equal(A("-1"), A("1") - A("2"));
    }

    [Fact]
    public void Product_is_exact_or_saturates_with_the_right_sign()
    {
        Assert.Equal(A("0.05"), Amount.Product(1, 1, A("0.05").Raw));
        Assert.Equal(A("-123.45"), Amount.Product(-2469, 1, A("0.05").Raw));
        Assert.Equal(Amount.Zero, Amount.Product(0, long.MaxValue, Amount.One));
        Assert.Equal(Amount.Max, Amount.Product(long.MaxValue, long.MaxValue, Amount.One));
        Assert.Equal(Amount.Min, Amount.Product(-long.MaxValue, long.MaxValue, Amount.One));
        Assert.Equal(Amount.Min, Amount.Product(long.MaxValue, long.MaxValue, -Amount.One));
        // the largest order notional of the grid with tick 1 and lot 1 saturates instead of wrapping
        Assert.True(Amount.Product(1_000_000_000_000_000, 1_000_000_000_000, Amount.One).IsSaturated);
    }

    [Theory]
    [InlineData(10, 1, 4, 3)]    // 2.5 → 3
    [InlineData(-10, 1, 4, -3)]  // −2.5 → −3 (half away from zero)
    [InlineData(5, 1, 3, 2)]     // 1.67 → 2
    [InlineData(4, 1, 3, 1)]     // 1.33 → 1
    [InlineData(-4, 1, 3, -1)]
    [InlineData(7, 2, 2, 7)]
    [InlineData(302, 1, 3, 101)] // 100.67 → 101
    [InlineData(1, 1, 2, 1)]     // 0.5 → 1
    [InlineData(-1, 1, 2, -1)]
    [InlineData(9, 0, 5, 0)]
    public void MulDiv_rounds_half_away_from_zero(long raw, long num, long den, long expected)
        => Assert.Equal(new Amount(expected), new Amount(raw).MulDiv(num, den));

    [Fact]
    public void MulDiv_on_large_values_does_not_overflow()
    {
        var big = new Amount(Int128.MaxValue / 3);
        Assert.Equal(new Amount(Int128.MaxValue / 3 / 7 * 6 + (Int128.MaxValue / 3 % 7 * 6 + 3) / 7), big.MulDiv(6, 7));
        Assert.Equal(big, big.MulDiv(1_000_000_000_000, 1_000_000_000_000));
        Assert.Throws<DivideByZeroException>(() => big.MulDiv(1, 0));
    }

    [Theory]
    [InlineData(1, 8, 2, "0.12")]   // 0.125 → even 2
    [InlineData(3, 8, 2, "0.38")]   // 0.375 → even 8
    [InlineData(5, 8, 2, "0.62")]
    [InlineData(1, 3, 6, "0.333333")]
    [InlineData(2, 3, 6, "0.666667")]
    [InlineData(1, 1, 6, "1")]
    [InlineData(0, 5, 6, "0")]
    [InlineData(-1, 8, 2, "-0.12")]
    [InlineData(3, -8, 2, "-0.38")]
    [InlineData(1999999, 2000000, 6, "1")]          // 0.9999995 → 1.000000 (carry into the whole part)
    [InlineData(1999997, 2000000, 6, "0.999998")]   // 0.9999985 → even 8
    [InlineData(10000001, 20000000, 6, "0.5")]      // just over half of the 7th digit is below half of the 6th
    [InlineData(1, 0, 6, "0")]
    [InlineData(5, 2, 0, "2")]  // 2.5 → 2
    [InlineData(3, 2, 0, "2")]  // 1.5 → 2
    [InlineData(7, 2, 0, "4")]  // 3.5 → 4
    public void FormatRatio_rounds_half_even(long n, long d, int decimals, string expected)
        => Assert.Equal(expected, Amount.FormatRatio(n, d, decimals));

    [Fact]
    public void FormatRatio_of_amounts_is_the_utilization_format()
        => Assert.Equal("0.123457", Amount.FormatRatio(A("123.4567").Raw, A("1000").Raw, 6));
}
