using Hft.Auth;
using Hft.Configuration;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Hft.Server.Auth;

namespace Hft.Server.MarketData;

/// <summary>
/// Validates a JWT for <c>/ws</c> with the same parameters as the REST API's JwtBearer (issuer, audience, key,
/// lifetime, revocation) and resolves the account it acts for, its role and its level3 entitlement.
/// </summary>
public sealed class WsAuth
{
    private readonly TokenService _tokens;
    private readonly Hft.Auth.Sessions.ISessionStore _sessions;
    private readonly AccountRegistry _accounts;
    private readonly HashSet<string> _level3;

    public WsAuth(TokenService tokens, Hft.Auth.Sessions.ISessionStore sessions, AccountRegistry accounts, HftConfig config)
    {
        _tokens = tokens;
        _sessions = sessions;
        _accounts = accounts;
        _level3 = config.Accounts.Where(a => a.MarketDataLevel3).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The identity of <paramref name="token"/>, or null with a reason a client can act on.</summary>
    public async Task<(WsIdentity? Identity, string? Error)> Validate(string? token)
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
                _ => "invalid token",
            });
        }
        if (Hft.Auth.Sessions.SessionRevocationCheck.IsRevoked(_sessions, principal))
            return (null, "token revoked (logged out, or the account's sessions were revoked)");
        string? name = TokenService.AccountOf(principal);
        bool admin = TokenService.IsAdmin(principal);
        if (!admin && !principal.IsInRole(Roles.Trader)) return (null, "the token carries no trader or admin role");
        if (name is null || !_accounts.TryGet(name, out int account)) return (null, $"account '{name}' is not known to this venue");
        return (new WsIdentity(account, name, admin, admin || _level3.Contains(name)), null);
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
