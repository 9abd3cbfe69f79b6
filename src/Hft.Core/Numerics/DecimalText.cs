namespace Hft.Core.Numerics;

/// <summary>Outcome of reading a decimal number from text.</summary>
public enum DecimalParseStatus : byte
{
    Ok = 0,
    Malformed = 1,
    Negative = 2,
    Overflow = 3,
}

/// <summary>
/// Exact conversion between plain decimal text ("50000.01", "0.0001") and scaled integers.
/// A value is mantissa × 10^-scale. Only digits and one optional '.' are accepted (an optional
/// leading '-' is recognised so that it can be reported as negative); no exponent, no spaces,
/// no thousands separators. No floating point is involved anywhere.
/// </summary>
public static class DecimalText
{
    /// <summary>Largest number of significant digits kept; more is reported as overflow.</summary>
    public const int MaxDigits = 36;

    /// <summary>Largest scale (digits after the point, trailing zeros removed) accepted.</summary>
    public const int MaxScale = 18;

    private static readonly UInt128[] s_pow10 = BuildPowers();

    private static UInt128[] BuildPowers()
    {
        var p = new UInt128[39];
        p[0] = 1;
        for (int i = 1; i < p.Length; i++) p[i] = p[i - 1] * 10;
        return p;
    }

    public static UInt128 Pow10(int n) => s_pow10[n];

    /// <summary>Parses UTF-8 decimal text into mantissa and scale, trailing fractional zeros removed.</summary>
    public static DecimalParseStatus TryParse(ReadOnlySpan<byte> text, out UInt128 mantissa, out int scale)
    {
        mantissa = 0;
        scale = 0;
        bool negative = false;
        int i = 0;
        if (text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+'))
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }
        int dot = -1;
        int intDigits = 0, fracDigits = 0;
        int lastNonZeroFrac = 0; // number of fractional digits up to the last non-zero one
        for (int k = i; k < text.Length; k++)
        {
            byte c = text[k];
            if (c == (byte)'.')
            {
                if (dot >= 0) return DecimalParseStatus.Malformed;
                dot = k;
                continue;
            }
            if (c < (byte)'0' || c > (byte)'9') return DecimalParseStatus.Malformed;
            if (dot < 0) intDigits++;
            else
            {
                fracDigits++;
                if (c != (byte)'0') lastNonZeroFrac = fracDigits;
            }
        }
        if (intDigits == 0 && fracDigits == 0) return DecimalParseStatus.Malformed;

        int significant = 0;
        int fracSeen = 0;
        UInt128 m = 0;
        for (int k = i; k < text.Length; k++)
        {
            byte c = text[k];
            if (c == (byte)'.') continue;
            if (k > dot && dot >= 0)
            {
                fracSeen++;
                if (fracSeen > lastNonZeroFrac) break;
            }
            uint d = (uint)(c - '0');
            if (m == 0 && d == 0) continue; // leading zeros
            if (++significant > MaxDigits) return DecimalParseStatus.Overflow;
            m = m * 10 + d;
        }
        if (lastNonZeroFrac > MaxScale) return DecimalParseStatus.Overflow;
        mantissa = m;
        scale = lastNonZeroFrac;
        if (negative && m != 0) return DecimalParseStatus.Negative;
        return DecimalParseStatus.Ok;
    }

    /// <summary>
    /// Writes mantissa × 10^-scale as plain decimal text (no exponent, trailing fractional zeros removed).
    /// Returns the number of bytes written; <paramref name="dest"/> must hold at least 42 bytes.
    /// </summary>
    public static int Format(Int128 mantissa, int scale, Span<byte> dest)
    {
        int pos = 0;
        if (mantissa < 0)
        {
            dest[pos++] = (byte)'-';
            mantissa = -mantissa;
        }
        UInt128 m = (UInt128)mantissa;
        while (scale > 0 && m != 0 && m % 10 == 0)
        {
            m /= 10;
            scale--;
        }
        if (m == 0) scale = 0;
        Span<byte> digits = stackalloc byte[40];
        int n = 0;
        do
        {
            digits[n++] = (byte)('0' + (int)(m % 10));
            m /= 10;
        } while (m != 0);
        // pad so there is at least one digit before the point
        while (n <= scale) digits[n++] = (byte)'0';
        for (int k = n - 1; k >= 0; k--)
        {
            dest[pos++] = digits[k];
            if (k == scale && scale > 0) dest[pos++] = (byte)'.';
        }
        return pos;
    }

    public static string ToString(Int128 mantissa, int scale)
    {
        Span<byte> buf = stackalloc byte[48];
        int n = Format(mantissa, scale, buf);
        return System.Text.Encoding.ASCII.GetString(buf[..n]);
    }
}
