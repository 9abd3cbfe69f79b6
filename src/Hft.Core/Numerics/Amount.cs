using System.Numerics;

namespace Hft.Core.Numerics;

/// <summary>
/// A signed fixed-point amount with 18 decimals held in an <see cref="Int128"/>: money (notional, PnL, exposure,
/// credit) and quantities in instrument units for risk. Exact for every product of a tick count, a lot count and
/// an instrument's grid (instruments keep tick decimals + lot decimals ≤ 18). Range ±1.7 × 10^20; arithmetic
/// that would leave it saturates at <see cref="Max"/>/<see cref="Min"/>, which compare above/below every limit.
/// </summary>
public readonly record struct Amount(Int128 Raw) : IComparable<Amount>
{
    public const int Scale = 18;

    public static readonly Int128 One = (Int128)DecimalText.Pow10(Scale);

    public static Amount Zero => default;

    public static Amount Max => new(Int128.MaxValue);

    public static Amount Min => new(Int128.MinValue + 1);

    public bool IsSaturated => Raw == Int128.MaxValue || Raw == Int128.MinValue + 1;

    /// <summary>The raw value of one grid step (tick or lot) in units of 10^-18.</summary>
    public static Int128 UnitOf(ScaledUnit step) => (Int128)step.Mantissa * (Int128)DecimalText.Pow10(Scale - step.Scale);

    /// <summary>Parses plain decimal text, optionally negative; false when malformed or out of range.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out Amount amount)
    {
        amount = default;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        var status = DecimalText.TryParse(negative ? text[1..] : text, out var m, out var s);
        if (status != DecimalParseStatus.Ok || s > Scale) return false;
        UInt128 factor = DecimalText.Pow10(Scale - s);
        if (m != 0 && m > (UInt128)Int128.MaxValue / factor) return false;
        var raw = (Int128)(m * factor);
        amount = new Amount(negative ? -raw : raw);
        return true;
    }

    /// <summary>a × b × unit, saturating (a, b are tick/lot counts, unit an <see cref="UnitOf"/> product).</summary>
    public static Amount Product(long a, long b, Int128 unit)
    {
        // Fast path (the usual case): a × b fits in a long and the unit in a long, so the exact product of the two
        // is a 64 × 64 → 128-bit multiplication that cannot overflow an Int128.
        long high = Math.BigMul(a, b, out long ab);
        if ((high == 0 && ab >= 0) || (high == -1 && ab < 0))
        {
            if (unit >= long.MinValue && unit <= long.MaxValue) return new Amount(Math.BigMul(ab, (long)unit));
        }
        return ProductSlow(a, b, unit);
    }

    private static Amount ProductSlow(long a, long b, Int128 unit)
    {
        Int128 ab = (Int128)a * b;
        if (ab == 0 || unit == 0) return Zero;
        var absAb = (UInt128)Int128.Abs(ab);
        var absUnit = (UInt128)Int128.Abs(unit);
        if (256 - (int)UInt128.LeadingZeroCount(absAb) - (int)UInt128.LeadingZeroCount(absUnit) <= 126)
            return new Amount(ab * unit);
        if (absAb > (UInt128)Int128.MaxValue / absUnit) return (ab < 0) != (unit < 0) ? Min : Max;
        return new Amount(ab * unit);
    }

    public static Amount operator +(Amount a, Amount b)
    {
        if (a.IsSaturated) return a;
        if (b.IsSaturated) return b;
        Int128 r = a.Raw + b.Raw;
        // overflow when both have the same sign and the result's sign differs
        if (a.Raw > 0 && b.Raw > 0 && r < 0) return Max;
        if (a.Raw < 0 && b.Raw < 0 && r >= 0) return Min;
        return new Amount(r);
    }

    public static Amount operator -(Amount a) => a.IsSaturated ? (a.Raw > 0 ? Min : Max) : new Amount(-a.Raw);

    public static Amount operator -(Amount a, Amount b) => a + (-b);

    public static bool operator >(Amount a, Amount b) => a.Raw > b.Raw;

    public static bool operator <(Amount a, Amount b) => a.Raw < b.Raw;

    public static bool operator >=(Amount a, Amount b) => a.Raw >= b.Raw;

    public static bool operator <=(Amount a, Amount b) => a.Raw <= b.Raw;

    public int CompareTo(Amount other) => Raw.CompareTo(other.Raw);

    public Amount Abs() => Raw < 0 ? -this : this;

    /// <summary>this × numerator / denominator, rounded half away from zero (for a share of a cost basis).</summary>
    public Amount MulDiv(long numerator, long denominator)
    {
        if (denominator == 0) throw new DivideByZeroException();
        if (denominator < 0 || numerator < 0) throw new ArgumentOutOfRangeException(nameof(denominator), "MulDiv takes a non-negative numerator and a positive denominator");
        var abs = (UInt128)Int128.Abs(Raw);
        UInt128 q, r;
        // Fast path: |Raw| × numerator fits in 127 bits: one multiplication and one division.
        if (128 - (int)UInt128.LeadingZeroCount(abs) + 64 - BitOperations.LeadingZeroCount((ulong)numerator) <= 127)
        {
            (q, r) = UInt128.DivRem(abs * (ulong)numerator, (ulong)denominator);
        }
        else
        {
            // Split |Raw| = qd × denominator + rd so that no intermediate overflows (numerator ≤ denominator ≤ 10^12 in every use).
            var (qd, rd) = UInt128.DivRem(abs, (ulong)denominator);
            var (qp, rp) = UInt128.DivRem(rd * (ulong)numerator, (ulong)denominator);
            q = qd * (ulong)numerator + qp;
            r = rp;
        }
        if (r * 2 >= (ulong)denominator) q += 1; // half away from zero
        var result = (Int128)q;
        return new Amount(Raw < 0 ? -result : result);
    }

    /// <summary>Plain decimal text, trailing zeros removed ("12.5", "-5", "0").</summary>
    public override string ToString() => DecimalText.ToString(Raw, Scale);

    /// <summary>numerator / denominator as plain decimal text rounded half-even to at most <paramref name="decimals"/> places.</summary>
    public static string FormatRatio(Int128 numerator, Int128 denominator, int decimals)
    {
        if (denominator == 0) return "0";
        bool negative = (numerator < 0) != (denominator < 0);
        var n = (UInt128)Int128.Abs(numerator);
        var d = (UInt128)Int128.Abs(denominator);
        UInt128 whole = n / d;
        UInt128 rem = n % d;
        UInt128 frac = 0;
        for (int i = 0; i < decimals; i++)
        {
            // rem < d; rem * 10 overflows only for d > 2^124, beyond any amount used here
            rem *= 10;
            frac = frac * 10 + rem / d;
            rem %= d;
        }
        // half-even on the remainder: the last kept digit is the fraction's, or the whole part's without decimals
        UInt128 twice = rem * 2;
        UInt128 last = decimals == 0 ? whole : frac;
        if (twice > d || (twice == d && (last & 1) == 1))
        {
            frac++;
            if (frac == DecimalText.Pow10(decimals))
            {
                frac = 0;
                whole++;
            }
        }
        var mantissa = (Int128)(whole * DecimalText.Pow10(decimals) + frac);
        return DecimalText.ToString(negative ? -mantissa : mantissa, decimals);
    }
}
