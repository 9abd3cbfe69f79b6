namespace Hft.Gateways.Fix;

/// <summary>What <see cref="FixFramer.TryFrame"/> found at the start of the receive buffer.</summary>
public enum FrameStatus : byte
{
    /// <summary>A whole message with a correct BodyLength and CheckSum: <c>consumed</c> bytes.</summary>
    Complete,

    /// <summary>Not enough bytes yet: read more.</summary>
    NeedMore,

    /// <summary>
    /// Garbled (bad BodyLength, missing or wrong CheckSum, bytes that do not start a message): per the session
    /// rules it is ignored - <c>consumed</c> bytes are dropped - and the expected sequence number does not move.
    /// </summary>
    Garbled,

    /// <summary>A BeginString other than FIX.4.4: the session must log out and disconnect.</summary>
    WrongBeginString,

    /// <summary>
    /// A BodyLength beyond the configured maximum (known from its digits, before the delimiter or the body arrive):
    /// the stream cannot be trusted further (disconnect).
    /// </summary>
    Oversized,
}

/// <summary>
/// Finds message boundaries in a byte stream: <c>8=FIX.4.4|9=len|...|10=ccc|</c>. BodyLength counts the bytes from
/// after the 9 field's delimiter up to and including the delimiter before <c>10=</c>; CheckSum is the byte sum of
/// everything before <c>10=</c>, modulo 256, as three digits.
/// </summary>
public static class FixFramer
{
    public const byte Soh = 1;

    private static ReadOnlySpan<byte> Begin44 => "8=FIX.4.4\u00019="u8;

    private static ReadOnlySpan<byte> BeginAny => "8=FIX"u8;

    /// <summary>Bytes of the trailer <c>10=ccc|</c>.</summary>
    public const int TrailerLength = 7;

    /// <summary>Digits of the largest BodyLength any configuration accepts (<c>fix_max_message_bytes</c> ≤ 1,048,576).</summary>
    private const int MaxBodyLengthDigits = 7;

    public static FrameStatus TryFrame(ReadOnlySpan<byte> data, int maxBodyLength, out int consumed)
    {
        consumed = 0;
        if (data.Length < Begin44.Length) return IsPrefixOf(data, Begin44) ? FrameStatus.NeedMore : Resync(data, out consumed);
        if (!data.StartsWith(Begin44))
        {
            if (data.StartsWith(BeginAny) && data.IndexOf(Soh) is > 0 and var end && IsVersionText(data[2..end]))
            {
                consumed = end + 1;
                return data[..end].SequenceEqual("8=FIX.4.4"u8) ? Resync(data, out consumed) : FrameStatus.WrongBeginString;
            }
            return Resync(data, out consumed);
        }

        int pos = Begin44.Length;
        int bodyLength = 0;
        int digits = 0;
        while (true)
        {
            if (pos >= data.Length) return FrameStatus.NeedMore;
            byte b = data[pos++];
            if (b == Soh) break;
            if (b is < (byte)'0' or > (byte)'9') return Resync(data, out consumed);
            bodyLength = bodyLength * 10 + (b - '0');
            // Decided by the digits alone, without waiting for the delimiter (or for a body that will never be read).
            if (bodyLength > maxBodyLength || ++digits > MaxBodyLengthDigits)
            {
                consumed = data.Length;
                return FrameStatus.Oversized;
            }
        }
        if (digits == 0) return Resync(data, out consumed);
        int bodyEnd = pos + bodyLength;
        int total = bodyEnd + TrailerLength;
        if (data.Length < total) return FrameStatus.NeedMore;
        var trailer = data.Slice(bodyEnd, TrailerLength);
        if (bodyLength == 0 || data[bodyEnd - 1] != Soh || !trailer.StartsWith("10="u8) || trailer[6] != Soh
            || !TryDigits(trailer[3..6], out int declared))
        {
            return Resync(data, out consumed);
        }
        if (Checksum(data[..bodyEnd]) != declared)
        {
            consumed = total;
            return FrameStatus.Garbled;
        }
        consumed = total;
        return FrameStatus.Complete;
    }

    /// <summary>
    /// The bytes end with a CheckSum trailer (<c>|10=ccc|</c>): a sender that waits for an answer sent a whole message,
    /// so when its BodyLength still asks for more it was wrong (a first message, e.g. a Logon, is then garbled).
    /// </summary>
    public static bool EndsWithTrailer(ReadOnlySpan<byte> data)
        => data.Length > TrailerLength && data[^1] == Soh && data[^(TrailerLength + 1)] == Soh && data[^TrailerLength..].StartsWith("10="u8)
            && TryDigits(data[^4..^1], out _);

    /// <summary>Sum of the bytes modulo 256.</summary>
    public static int Checksum(ReadOnlySpan<byte> bytes)
    {
        uint sum = 0;
        foreach (byte b in bytes) sum += b;
        return (int)(sum & 0xFF);
    }

    /// <summary>ASCII digits only (an empty span is 0), as an int; callers bound the length.</summary>
    internal static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (byte b in s)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (b - '0');
        }
        return true;
    }

    // "FIX.4.2", "FIXT.1.1": another FIX version (as opposed to noise that happens to contain "8=FIX")
    private static bool IsVersionText(ReadOnlySpan<byte> value)
    {
        if (value.Length > 16) return false;
        foreach (byte b in value)
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'.')) return false;
        return true;
    }

    private static bool IsPrefixOf(ReadOnlySpan<byte> data, ReadOnlySpan<byte> full) => full.StartsWith(data);

    // Drops bytes up to the next possible message start (a "8=FIX" after the first byte), or all but a possible
    // partial start at the end.
    private static FrameStatus Resync(ReadOnlySpan<byte> data, out int consumed)
    {
        int next = data.Length > 1 ? data[1..].IndexOf(BeginAny) : -1;
        if (next >= 0) consumed = next + 1;
        else
        {
            consumed = data.Length;
            for (int keep = Math.Min(BeginAny.Length - 1, data.Length - 1); keep > 0; keep--)
            {
                if (BeginAny.StartsWith(data[^keep..]))
                {
                    consumed = data.Length - keep;
                    break;
                }
            }
        }
        return FrameStatus.Garbled;
    }
}
