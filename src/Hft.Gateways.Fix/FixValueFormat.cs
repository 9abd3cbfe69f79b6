namespace Hft.Gateways.Fix;

/// <summary>Whether a field's bytes have the form of its FIX 4.4 data type; no allocation.</summary>
public static class FixValueFormat
{
    public static bool IsValid(FixFieldType type, ReadOnlySpan<byte> value) => type switch
    {
        FixFieldType.Int => IsDigits(value.Length > 1 && value[0] == (byte)'-' ? value[1..] : value),
        FixFieldType.NonNegativeInt or FixFieldType.NumInGroup => IsDigits(value),
        FixFieldType.Float => IsFloat(value),
        FixFieldType.Char => value.Length == 1,
        FixFieldType.Boolean => value.Length == 1 && value[0] is (byte)'Y' or (byte)'N',
        FixFieldType.UtcTimestamp => TryParseUtcTimestamp(value, out _),
        FixFieldType.Date => value.Length == 8 && IsDate(value),
        FixFieldType.UtcTimeOnly => IsTimeOnly(value),
        FixFieldType.MonthYear => IsMonthYear(value),
        _ => true,
    };

    public static bool IsDigits(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return false;
        foreach (byte b in value)
            if (b is < (byte)'0' or > (byte)'9') return false;
        return true;
    }

    /// <summary>Optional minus, digits, at most one '.'; no '+', no exponent.</summary>
    public static bool IsFloat(ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty && value[0] == (byte)'-') value = value[1..];
        bool digit = false;
        bool dot = false;
        foreach (byte b in value)
        {
            if (b is >= (byte)'0' and <= (byte)'9') digit = true;
            else if (b == (byte)'.' && !dot) dot = true;
            else return false;
        }
        return digit;
    }

    /// <summary>
    /// A UTCTimestamp <c>YYYYMMDD-HH:MM:SS</c> with an optional fraction of 1 to 9 digits, as UTC ticks; false when
    /// malformed or not a date.
    /// </summary>
    public static bool TryParseUtcTimestamp(ReadOnlySpan<byte> v, out long ticks)
    {
        ticks = 0;
        if (v.Length < 17 || v[8] != (byte)'-' || !IsDate(v[..8]) || !TryParseTime(v[9..17], out int hour, out int minute, out int second))
            return false;
        long fraction = 0;
        if (v.Length > 17 && !TryParseFraction(v[17..], out fraction)) return false;
        FixFramer.TryDigits(v[..4], out int year);
        FixFramer.TryDigits(v[4..6], out int month);
        FixFramer.TryDigits(v[6..8], out int day);
        ticks = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Utc).Ticks + fraction;
        return true;
    }

    private static bool IsDate(ReadOnlySpan<byte> v)
        => FixFramer.TryDigits(v[..4], out int year) && FixFramer.TryDigits(v[4..6], out int month) && FixFramer.TryDigits(v[6..8], out int day)
           && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    // HH:MM:SS (a leap second 60 allowed)
    private static bool TryParseTime(ReadOnlySpan<byte> v, out int hour, out int minute, out int second)
    {
        hour = minute = second = 0;
        return v.Length == 8 && v[2] == (byte)':' && v[5] == (byte)':' && FixFramer.TryDigits(v[..2], out hour)
               && FixFramer.TryDigits(v[3..5], out minute) && FixFramer.TryDigits(v[6..8], out second) && hour <= 23 && minute <= 59 && second <= 60;
    }

    // '.' and 1 to 9 digits, as ticks (100 ns)
    private static bool TryParseFraction(ReadOnlySpan<byte> v, out long ticks)
    {
        ticks = 0;
        var f = v[1..];
        if (v[0] != (byte)'.' || f.Length is 0 or > 9 || !FixFramer.TryDigits(f, out int digits)) return false;
        ticks = digits;
        for (int i = f.Length; i < 7; i++) ticks *= 10;
        for (int i = 7; i < f.Length; i++) ticks /= 10;
        return true;
    }

    private static bool IsTimeOnly(ReadOnlySpan<byte> v)
        => v.Length >= 8 && TryParseTime(v[..8], out _, out _, out _) && (v.Length == 8 || TryParseFraction(v[8..], out _));

    // YYYYMM, YYYYMMDD or YYYYMMwN (week 1 to 5)
    private static bool IsMonthYear(ReadOnlySpan<byte> v)
    {
        if (v.Length is not (6 or 8) || !FixFramer.TryDigits(v[..4], out _) || !FixFramer.TryDigits(v[4..6], out int month) || month is < 1 or > 12)
            return false;
        if (v.Length == 6) return true;
        if (v[6] == (byte)'w') return v[7] is >= (byte)'1' and <= (byte)'5';
        return FixFramer.TryDigits(v[6..8], out int day) && day is >= 1 and <= 31;
    }
}
