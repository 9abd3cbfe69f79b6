namespace Hft.Core.Numerics;

/// <summary>
/// A grid step such as a tick size (0.01) or lot size (0.0001), held exactly as mantissa × 10^-scale.
/// Prices are counted in ticks and quantities in lots: <c>long</c> integers, never floating point.
/// </summary>
public readonly struct ScaledUnit
{
    public readonly long Mantissa;
    public readonly int Scale;

    public ScaledUnit(long mantissa, int scale)
    {
        if (mantissa <= 0) throw new ArgumentOutOfRangeException(nameof(mantissa), "a grid step must be positive");
        if (scale < 0 || scale > DecimalText.MaxScale) throw new ArgumentOutOfRangeException(nameof(scale));
        Mantissa = mantissa;
        Scale = scale;
    }

    /// <summary>Parses a positive step such as "0.01". Returns false with a reason for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out ScaledUnit unit, out string? error)
    {
        unit = default;
        var status = DecimalText.TryParse(text, out var m, out var s);
        if (status != DecimalParseStatus.Ok) { error = "not a plain positive decimal number"; return false; }
        if (m == 0) { error = "must be greater than zero"; return false; }
        if (m > (UInt128)long.MaxValue / 1000) { error = "too large"; return false; }
        unit = new ScaledUnit((long)m, s);
        error = null;
        return true;
    }

    /// <summary>
    /// Converts a decimal value (mantissa, scale) into a whole number of this unit.
    /// Fails when the value is not an exact multiple (off the grid) or exceeds <paramref name="max"/>.
    /// </summary>
    public DecimalParseStatus TryToUnits(UInt128 mantissa, int scale, long max, out long units, out bool offGrid)
    {
        units = 0;
        offGrid = false;
        int common = Math.Max(scale, Scale);
        UInt128 valueFactor = DecimalText.Pow10(common - scale);
        UInt128 unitFactor = DecimalText.Pow10(common - Scale);
        if (mantissa != 0 && mantissa > UInt128.MaxValue / valueFactor) return DecimalParseStatus.Overflow;
        UInt128 value = mantissa * valueFactor;
        UInt128 step = (UInt128)(ulong)Mantissa * unitFactor;
        UInt128 q = UInt128.DivRem(value, step).Quotient;
        if (q * step != value)
        {
            offGrid = true;
            return DecimalParseStatus.Malformed;
        }
        if (q > (UInt128)(ulong)max) return DecimalParseStatus.Overflow;
        units = (long)q;
        return DecimalParseStatus.Ok;
    }

    /// <summary>Writes <paramref name="units"/> of this step as decimal text; returns bytes written.</summary>
    public int Format(long units, Span<byte> dest) => DecimalText.Format((Int128)units * Mantissa, Scale, dest);

    public string ToString(long units) => DecimalText.ToString((Int128)units * Mantissa, Scale);

    public override string ToString() => DecimalText.ToString(Mantissa, Scale);
}
