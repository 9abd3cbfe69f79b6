using System.Globalization;
using System.Text;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>FIX frames written by hand ('|' for SOH), with BodyLength and CheckSum computed or wrong on purpose.</summary>
internal static class FixFrames
{
    public static string Header(string msgType, string sender, long seq)
        => $"35={msgType}|49={sender}|56=HFT|34={seq}|52={DateTime.UtcNow.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture)}|";

    public static byte[] Ascii(string fields) => Encoding.ASCII.GetBytes(fields.Replace('|', '\u0001'));

    /// <summary><c>8=FIX.4.4|9=BodyLength|</c>, the body, <c>10=CheckSum|</c>; the CheckSum is off by <paramref name="checksumDelta"/>.</summary>
    public static byte[] Frame(byte[] body, long? bodyLength = null, int checksumDelta = 0)
    {
        var head = Ascii($"8=FIX.4.4|9={(bodyLength ?? body.Length).ToString(CultureInfo.InvariantCulture)}|");
        var bytes = new byte[head.Length + body.Length + FixFramer.TrailerLength];
        head.CopyTo(bytes, 0);
        body.CopyTo(bytes, head.Length);
        int sum = (FixFramer.Checksum(bytes.AsSpan(0, head.Length + body.Length)) + checksumDelta) % 256;
        Ascii($"10={sum:D3}|").CopyTo(bytes, head.Length + body.Length);
        return bytes;
    }

    public static byte[] Frame(string fields, long? bodyLength = null, int checksumDelta = 0) => Frame(Ascii(fields), bodyLength, checksumDelta);
}
