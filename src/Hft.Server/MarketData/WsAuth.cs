using System.Net;
using Hft.Auth;
using Hft.Auth.Guards;
using Hft.Configuration;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Hft.Server.Auth;

namespace Hft.Server.MarketData;

/// <summary>
/// Validates a JWT for <c>/ws</c> with the same parameters as the REST API's JwtBearer (issuer, audience, key,
/// lifetime, claims, revocation) and resolves the account it acts for, its role and its level3 entitlement. Each
/// attempt goes through the node's failed-login throttle (channel <c>ws</c>): failures are audited and count towards a
/// lockout, during which even a valid token is refused.
/// </summary>
public sealed class WsAuth
{
    private readonly TokenService _tokens;
    private readonly Hft.Auth.Sessions.ISessionStore _sessions;
    private readonly AccountRegistry _accounts;
    private readonly Level3Access _level3;
    private readonly LoginThrottle _logins;

    public WsAuth(TokenService tokens, Hft.Auth.Sessions.ISessionStore sessions, AccountRegistry accounts, Level3Access level3, LoginThrottle logins)
    {
        _tokens = tokens;
        _sessions = sessions;
        _accounts = accounts;
        _level3 = level3;
        _logins = logins;
    }

    /// <summary>A login from <paramref name="remote"/> with <paramref name="token"/>: the identity, or why not.</summary>
    public async Task<WsLogin> Login(string? token, IPAddress? remote)
    {
        if (!_logins.MayTry(Api.RestLogin.WsChannel, null, remote, out var retryAfter))
            return new WsLogin(null, "login_locked", Api.RestLogin.LockedMessage(Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))), retryAfter);
        var (identity, error) = await Validate(token);
        if (identity is null)
        {
            _logins.Failed(Api.RestLogin.WsChannel, null, remote, error!);
            return new WsLogin(null, "unauthorized", error, TimeSpan.Zero);
        }
        _logins.Succeeded(identity.AccountName);
        return new WsLogin(identity, null, null, TimeSpan.Zero);
    }

    /// <summary>The identity of <paramref name="token"/>, or null with a reason a client can act on.</summary>
    private async Task<(WsIdentity? Identity, string? Error)> Validate(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return (null, "missing token");
        if (token.Length > 8192) return (null, "malformed token");
        var (principal, error) = await _tokens.ValidateAsync(token);
        if (principal is null)
        {
            return (null, error switch
            {
                Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException => "token expired",
                Microsoft.IdentityModel.Tokens.SecurityTokenInvalidSignatureException or Microsoft.IdentityModel.Tokens.SecurityTokenSignatureKeyNotFoundException => "invalid token signature",
                Microsoft.IdentityModel.Tokens.SecurityTokenInvalidAudienceException => "token not issued for this API",
                Microsoft.IdentityModel.Tokens.SecurityTokenInvalidIssuerException => "token from an unknown issuer",
                Microsoft.IdentityModel.Tokens.SecurityTokenMalformedException => "malformed token",
                TokenClaimException claims => claims.Message,
                _ => "invalid token",
            });
        }
        if (Hft.Auth.Sessions.SessionRevocationCheck.IsRevoked(_sessions, principal))
            return (null, "token revoked (logged out, or the account's sessions were revoked)");
        string? name = TokenService.AccountOf(principal);
        bool admin = TokenService.IsAdmin(principal);
        if (!admin && !principal.IsInRole(Roles.Trader)) return (null, "the token carries no trader or admin role");
        if (name is null || !_accounts.TryGet(name, out int account)) return (null, $"account '{name}' is not known to this venue");
        return (new WsIdentity(account, name, admin, _level3.IsEntitled(name, admin), WsToken.Of(principal, _sessions)), null);
    }

    /// <summary>The bearer token of an upgrade request: the Authorization header, else the <c>token</c> query parameter.</summary>
    public static string? TokenOf(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (header is not null) return header; // a malformed header is reported, not ignored
        return request.Query.TryGetValue("token", out var q) ? q.ToString() : null;
    }
}

/// <summary>The outcome of a <c>/ws</c> login: an identity, or an error code (<c>unauthorized</c>, <c>login_locked</c> with its wait) and message.</summary>
public sealed record WsLogin(WsIdentity? Identity, string? Code, string? Error, TimeSpan RetryAfter);
