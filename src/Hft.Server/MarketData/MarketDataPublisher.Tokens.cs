using System.Diagnostics;

namespace Hft.Server.MarketData;

/// <summary>
/// Authenticated connections end with their token: once a second the publisher closes (code 1008, reason
/// <c>token_expired</c> or <c>token_revoked</c>) every connection whose token lapsed, read on
/// <see cref="MarketDataOptions.Clock"/>. A client keeps its connection by sending <c>{"op":"auth","token":...}</c>
/// with a newer token of the same account and role before then.
/// </summary>
public sealed partial class MarketDataPublisher
{
    private long _lastTokenCheck;

    /// <summary>Connections closed because their token expired or was revoked.</summary>
    public long TokenCloses => Interlocked.Read(ref _tokenCloses);

    private long _tokenCloses;

    private void CloseLapsedConnections(long timestamp)
    {
        if (timestamp - _lastTokenCheck < Stopwatch.Frequency) return;
        _lastTokenCheck = timestamp;
        var now = Options.Clock.GetUtcNow();
        foreach (var c in _connections)
        {
            if (c.Identity?.Token.Lapsed(now) is not { } reason || c.CloseReason is not null) continue;
            Interlocked.Increment(ref _tokenCloses);
            c.Close(reason);
        }
    }
}
