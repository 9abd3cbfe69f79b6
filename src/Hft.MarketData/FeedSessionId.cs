using System.Runtime.CompilerServices;
using System.Text;

namespace Hft.MarketData;

/// <summary>
/// The 10-byte session of a MoldUDP64-style stream: printable ASCII, chosen by the publisher when it starts. Sequence
/// numbers restart with a new session, so a receiver that sees another session starts over (snapshot).
/// </summary>
[InlineArray(Size)]
public struct FeedSessionId : IEquatable<FeedSessionId>
{
    public const int Size = 10;

    private byte _first;

    /// <summary>A session named by up to 10 ASCII characters (right-padded with spaces).</summary>
    public static FeedSessionId From(string name)
    {
        var id = new FeedSessionId();
        Span<byte> span = id;
        span.Fill((byte)' ');
        Encoding.ASCII.GetBytes(name.AsSpan(0, Math.Min(name.Length, Size)), span);
        return id;
    }

    /// <summary>A session named after the start time (HHMMSS plus 4 digits of sub-second ticks): distinct per start.</summary>
    public static FeedSessionId ForStart(DateTimeOffset now) => From(now.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture)
        + (now.Ticks % 10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture));

    public static FeedSessionId Read(ReadOnlySpan<byte> source)
    {
        var id = new FeedSessionId();
        source[..Size].CopyTo(id);
        return id;
    }

    public readonly void CopyTo(Span<byte> destination) => ((ReadOnlySpan<byte>)this).CopyTo(destination);

    public readonly bool Equals(FeedSessionId other) => ((ReadOnlySpan<byte>)this).SequenceEqual(other);

    public override readonly bool Equals(object? obj) => obj is FeedSessionId other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(BitConverter.ToInt64(this), BitConverter.ToInt16(((ReadOnlySpan<byte>)this)[8..]));

    public override readonly string ToString() => Encoding.ASCII.GetString(this);

    public static bool operator ==(FeedSessionId a, FeedSessionId b) => a.Equals(b);

    public static bool operator !=(FeedSessionId a, FeedSessionId b) => !a.Equals(b);
}
