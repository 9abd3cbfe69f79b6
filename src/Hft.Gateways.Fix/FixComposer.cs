using System.Buffers.Text;

namespace Hft.Gateways.Fix;

/// <summary>
/// Wraps body fields into a whole FIX 4.4 message: BeginString, BodyLength, the standard header in the order
/// 35, 49, 56, 34, 43, 52, 122, the body, and the CheckSum trailer.
/// </summary>
public static class FixComposer
{
    /// <summary>Upper bound of a composed message's size beyond the body fields and CompIDs.</summary>
    public const int Overhead = 160;

    /// <summary>Writes the message into <paramref name="dest"/> (at least <see cref="MaxLength"/> bytes); returns its length.</summary>
    public static int Compose(Span<byte> dest, ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> sender, ReadOnlySpan<byte> target, long seq,
        DateTime sendingTime, bool possDup, DateTime origSendingTime, ReadOnlySpan<byte> body)
    {
        // header (after BodyLength) first, at an offset leaving room for "8=FIX.4.4|9=nnnnnnn|"
        const int prefixRoom = 22;
        var h = dest[prefixRoom..];
        int n = 0;
        n += Field(h[n..], "35="u8, msgType);
        n += Field(h[n..], "49="u8, sender);
        n += Field(h[n..], "56="u8, target);
        "34="u8.CopyTo(h[n..]);
        n += 3;
        Utf8Formatter.TryFormat(seq, h[n..], out int w);
        n += w;
        h[n++] = FixFramer.Soh;
        if (possDup)
        {
            "43=Y"u8.CopyTo(h[n..]);
            n += 4;
            h[n++] = FixFramer.Soh;
        }
        "52="u8.CopyTo(h[n..]);
        n += 3;
        n += FixFieldWriter.FormatTime(sendingTime, h[n..]);
        h[n++] = FixFramer.Soh;
        if (possDup)
        {
            "122="u8.CopyTo(h[n..]);
            n += 4;
            n += FixFieldWriter.FormatTime(origSendingTime, h[n..]);
            h[n++] = FixFramer.Soh;
        }
        body.CopyTo(h[n..]);
        int bodyLength = n + body.Length;

        Span<byte> prefix = stackalloc byte[prefixRoom];
        "8=FIX.4.4\u00019="u8.CopyTo(prefix);
        int p = 12;
        Utf8Formatter.TryFormat(bodyLength, prefix[p..], out w);
        p += w;
        prefix[p++] = FixFramer.Soh;
        int start = prefixRoom - p;
        prefix[..p].CopyTo(dest[start..]);
        int end = prefixRoom + bodyLength;
        int sum = FixFramer.Checksum(dest[start..end]);
        "10="u8.CopyTo(dest[end..]);
        dest[end + 3] = (byte)('0' + sum / 100);
        dest[end + 4] = (byte)('0' + sum / 10 % 10);
        dest[end + 5] = (byte)('0' + sum % 10);
        dest[end + 6] = FixFramer.Soh;
        int length = end + FixFramer.TrailerLength - start;
        if (start > 0) dest.Slice(start, length).CopyTo(dest);
        return length;
    }

    public static int MaxLength(int bodyLength, int compIdLengths) => bodyLength + compIdLengths + Overhead;

    private static int Field(Span<byte> dest, ReadOnlySpan<byte> tagEq, ReadOnlySpan<byte> value)
    {
        tagEq.CopyTo(dest);
        value.CopyTo(dest[tagEq.Length..]);
        dest[tagEq.Length + value.Length] = FixFramer.Soh;
        return tagEq.Length + value.Length + 1;
    }
}
