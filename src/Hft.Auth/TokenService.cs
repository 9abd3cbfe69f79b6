using System.Security.Claims;
using Hft.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hft.Auth;

/// <summary>Roles a token can carry.</summary>
public static class Roles
{
    public const string Trader = "trader";
    public const string Admin = "admin";

    public static bool IsValid(string role) => role is Trader or Admin;
}

/// <summary>Mints short-lived JWTs (subject = account, role claim) and describes how to validate them.</summary>
public sealed class TokenService
{
    public const string AccountClaim = "sub";
    public const string RoleClaim = "role";

    /// <summary>The session a token belongs to (absent on tokens minted by <c>./hft token</c>); checked against the revocation list.</summary>
    public const string SessionClaim = "sid";

    private readonly AuthConfig _auth;
    private readonly SigningKeys _keys;
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Validates inbound tokens for every entry point (JwtBearer, WebSocket, binary login) with one cache.</summary>
    public ValidatedTokenCache Inbound { get; } = new();

    private readonly TokenClaimRules _claimRules;

    public TokenService(AuthConfig auth, SigningKeys keys, TimeProvider? clock = null)
    {
        _auth = auth;
        _keys = keys;
        _claimRules = new TokenClaimRules(TimeSpan.FromSeconds(auth.MaxTokenLifetimeSeconds), Sessions.SessionLifetimes.ClockSkew, clock);
    }

    public int LifetimeSeconds => _auth.TokenLifetimeSeconds;

    public string Mint(string account, string role, TimeSpan? lifetime = null, DateTime? now = null, string? sessionId = null)
    {
        if (_keys.Signing is null) throw new InvalidOperationException("[auth] key_file holds a public key only: this process cannot mint tokens");
        var issued = now ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = _auth.Issuer,
            Audience = _auth.Audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued + (lifetime ?? TimeSpan.FromSeconds(_auth.TokenLifetimeSeconds)),
            SigningCredentials = _keys.Signing,
            Claims = new Dictionary<string, object> { [AccountClaim] = account, [RoleClaim] = role },
        };
        if (sessionId is not null)
        {
            descriptor.Claims[SessionClaim] = sessionId;
            descriptor.Claims["jti"] = Guid.NewGuid().ToString("N");
        }
        return _handler.CreateToken(descriptor);
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = _auth.Issuer,
        ValidAudience = _auth.Audience,
        IssuerSigningKey = _keys.Verification,
        ValidateIssuerSigningKey = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = Sessions.SessionLifetimes.ClockSkew,
        LifetimeValidator = _claimRules.Validate, // expiry as usual, and the claims only this venue's tokens have
        NameClaimType = AccountClaim,
        RoleClaimType = RoleClaim,
    };

    /// <summary>
    /// Validates an access token outside the HTTP pipeline (WebSocket auth, the binary gateway's login) with the same
    /// parameters as JwtBearer: the user, or null and the validation failure.
    /// </summary>
    public async Task<(ClaimsPrincipal? User, Exception? Error)> ValidateAsync(string token)
    {
        var result = await Inbound.ValidateTokenAsync(token, ValidationParameters());
        return result.IsValid ? (new ClaimsPrincipal(result.ClaimsIdentity), null) : (null, result.Exception);
    }

    /// <summary>The account a validated principal acts for.</summary>
    public static string? AccountOf(ClaimsPrincipal user) => user.FindFirst(AccountClaim)?.Value;

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Roles.Admin);
}
