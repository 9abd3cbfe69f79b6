namespace Hft.Core.Orders;

/// <summary>
/// What a client order id (REST <c>clientOrderId</c>, FIX ClOrdID) may be: 1 to <see cref="MaxLength"/> printable
/// ASCII characters without spaces ('!' to '~'), the set FIX-compatible venues accept. Nothing else - control
/// characters, line breaks, bidi overrides, zero-width or other non-ASCII characters - reaches the journal, the audit
/// trail or another system's screen.
/// </summary>
public static class ClientOrderIdRule
{
    public const int MaxLength = 64;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Description = "1 to 64 printable ASCII characters (! to ~, no spaces)";

    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length is 0 or > MaxLength) return false;
        foreach (char c in id)
            if (c is < '!' or > '~') return false;
        return true;
    }

    public static bool IsValid(ReadOnlySpan<byte> ascii)
    {
        if (ascii.Length is 0 or > MaxLength) return false;
        foreach (byte b in ascii)
            if (b is < (byte)'!' or > (byte)'~') return false;
        return true;
    }
}
