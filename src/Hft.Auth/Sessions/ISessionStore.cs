namespace Hft.Auth.Sessions;

/// <summary>
/// API sessions: a session is created at login (<c>POST /api/v1/auth/token</c>) and carries a refresh token chain.
/// Only the SHA-256 of a refresh token is stored. Refreshing rotates the token; presenting an already rotated one again
/// (a stolen copy, or a replay) revokes the whole session. Revoking a session (logout) also puts its id on the
/// revocation list, which access tokens are checked against by <see cref="IsRevoked"/> - a local lookup, never I/O.
/// Served from memory (<see cref="InMemorySessionStore"/>) or shared by replicas in Redis (<see cref="RedisSessionStore"/>).
/// </summary>
public interface ISessionStore
{
    /// <summary>Creates a session; null when the store cannot record it now (Redis unreachable).</summary>
    Task<SessionGrant?> CreateAsync(string account, string role, CancellationToken cancellationToken = default);

    /// <summary>Rotates <paramref name="refreshToken"/>: the presented token stops working, the result carries the next.</summary>
    Task<RefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default);

    /// <summary>Ends a session: its refresh token and its access tokens stop working. False when it was unknown.</summary>
    Task<bool> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Ends every session of <paramref name="account"/> and every token of it issued up to now; returns the sessions ended.</summary>
    Task<int> RevokeAccountAsync(string account, CancellationToken cancellationToken = default);

    /// <summary>Whether an access token (its session id, account and issue time) was revoked. A local lookup, cheap.</summary>
    bool IsRevoked(string? sessionId, string account, DateTimeOffset issuedAt);
}

/// <summary>A new session: its id (the <c>sid</c> claim of its access tokens) and the first refresh token.</summary>
public sealed record SessionGrant(string SessionId, string RefreshToken, DateTimeOffset ExpiresAt);

public enum RefreshStatus
{
    /// <summary>The token was current: it is now spent and <see cref="RefreshResult.Grant"/> holds the next one.</summary>
    Rotated,

    /// <summary>Unknown, malformed, expired, or of a revoked session.</summary>
    Invalid,

    /// <summary>An already rotated token was presented again: the session is revoked.</summary>
    Reused,

    /// <summary>The shared store is unreachable; nothing changed.</summary>
    Unavailable,
}

public readonly record struct RefreshResult(RefreshStatus Status, SessionGrant? Grant = null, string Account = "", string Role = "");

/// <summary>The revocation check every door that accepts an access token makes (REST, /ws, the binary gateway).</summary>
public static class SessionRevocationCheck
{
    /// <summary>Whether the validated token behind <paramref name="user"/> was revoked (logout, session or account revoke).</summary>
    public static bool IsRevoked(this ISessionStore sessions, System.Security.Claims.ClaimsPrincipal user)
    {
        string account = Hft.Auth.TokenService.AccountOf(user) ?? "";
        var issued = long.TryParse(user.FindFirst("iat")?.Value, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out long iat) ? DateTimeOffset.FromUnixTimeSeconds(iat) : DateTimeOffset.MinValue;
        return sessions.IsRevoked(user.FindFirst(Hft.Auth.TokenService.SessionClaim)?.Value, account, issued);
    }
}
