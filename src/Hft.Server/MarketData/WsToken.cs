using System.Globalization;
using System.Security.Claims;
using Hft.Auth;
using Hft.Auth.Sessions;

namespace Hft.Server.MarketData;

/// <summary>
/// The access token a <c>/ws</c> connection authenticated with, kept to end the connection when the token would no
/// longer be accepted: at its expiry (with the clock skew REST allows, <see cref="SessionLifetimes.ClockSkew"/>), or
/// once its session or account was revoked (logout, admin revoke: the local revocation list, no I/O).
/// </summary>
public sealed class WsToken
{
    private readonly ISessionStore _sessions;
    private readonly string? _sessionId;
    private readonly string _account;
    private readonly DateTimeOffset _issued;

    private WsToken(ISessionStore sessions, string? sessionId, string account, DateTimeOffset issued, DateTimeOffset lapses)
    {
        _sessions = sessions;
        _sessionId = sessionId;
        _account = account;
        _issued = issued;
        Lapses = lapses;
    }

    /// <summary>When the token stops being accepted: its <c>exp</c> plus the clock skew.</summary>
    public DateTimeOffset Lapses { get; }

    /// <summary>Close code 1008 reasons: <c>token_expired</c>, <c>token_revoked</c>.</summary>
    public const string Expired = "token_expired", Revoked = "token_revoked";

    /// <summary>The token of a validated principal.</summary>
    public static WsToken Of(ClaimsPrincipal user, ISessionStore sessions) => new(sessions,
        user.FindFirst(TokenService.SessionClaim)?.Value, TokenService.AccountOf(user) ?? "",
        Seconds(user, "iat") ?? DateTimeOffset.MinValue, (Seconds(user, "exp") ?? DateTimeOffset.MinValue) + SessionLifetimes.ClockSkew);

    /// <summary>Why the token is no longer accepted at <paramref name="now"/> (<see cref="Expired"/>, <see cref="Revoked"/>), or null.</summary>
    public string? Lapsed(DateTimeOffset now)
        => now >= Lapses ? Expired : _sessions.IsRevoked(_sessionId, _account, _issued) ? Revoked : null;

    private static DateTimeOffset? Seconds(ClaimsPrincipal user, string claim)
        => long.TryParse(user.FindFirst(claim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long s)
            ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
}
