using System.Globalization;

namespace Hft.Core.Numerics;

/// <summary>
/// Times the engine keeps (a good-till-date order's expire time, the time an expiry runs for) are Unix nanoseconds;
/// text at the edges (REST, the replay format) is RFC 3339. The one conversion between them.
/// </summary>
public static class UnixTime
{
    /// <summary>Parses an RFC 3339 time (e.g. <c>2026-01-01T00:00:05Z</c>, or with an offset) into Unix nanoseconds.</summary>
    public static bool TryParseRfc3339(string? text, out long unixNanos)
    {
        unixNanos = 0;
        if (string.IsNullOrEmpty(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)) return false;
        unixNanos = ToNanos(at);
        return true;
    }

    public static long ToNanos(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).Ticks * 100;
}
