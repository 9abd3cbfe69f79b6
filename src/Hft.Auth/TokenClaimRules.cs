using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hft.Auth;

/// <summary>
/// The claims a token this venue issued always has, checked on every door that accepts one (REST, /ws, the binary
/// gateway) after its signature: an <c>exp</c> not passed and an <c>nbf</c> reached (within the clock skew), an
/// <c>iat</c> not in the future (a future iat would also survive a later revoke-sessions, which refuses tokens issued
/// before it), a lifetime <c>exp - iat</c> of at most <c>[auth] max_token_lifetime_seconds</c>, exactly one
/// <c>sub</c> string and exactly one <c>role</c> string naming a known role. A validly signed token breaking one of
/// them was not minted here and is refused like a forged one.
/// </summary>
public sealed class TokenClaimRules(TimeSpan maxLifetime, TimeSpan clockSkew, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>A <see cref="TokenValidationParameters.LifetimeValidator"/>: throws what is wrong with the token.</summary>
    public bool Validate(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        if (expires is not { } exp) throw new SecurityTokenNoExpirationException("token has no expiry (exp)");
        if (now >= exp + clockSkew) throw new SecurityTokenExpiredException("token expired") { Expires = exp };
        if (notBefore is { } nbf && now + clockSkew < nbf) throw new SecurityTokenNotYetValidException("token not valid yet (nbf)") { NotBefore = nbf };
        if (token is not JsonWebToken jwt) throw new TokenClaimException("not a JSON web token");
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out long iatSeconds))
            throw new TokenClaimException("token has no issue time (iat)");
        var iat = DateTimeOffset.FromUnixTimeSeconds(iatSeconds).UtcDateTime;
        if (iat > now + clockSkew) throw new TokenClaimException("token issued in the future (iat)");
        if (exp - iat > maxLifetime + clockSkew)
            throw new TokenClaimException($"token lifetime (exp - iat) longer than the {maxLifetime.TotalSeconds:0} s this venue issues");
        if (Single(jwt, TokenService.AccountClaim) is not { Length: > 0 })
            throw new TokenClaimException("the sub claim must be one account name (a single string)");
        if (Single(jwt, TokenService.RoleClaim) is not { } role || !Roles.IsValid(role))
            throw new TokenClaimException($"the role claim must be a single string: {Roles.Trader} or {Roles.Admin}");
        return true;
    }

    /// <summary>The value of a claim present exactly once as a string (an array gives several claims, a number another value type).</summary>
    private static string? Single(JsonWebToken jwt, string type)
    {
        Claim? found = null;
        foreach (var claim in jwt.Claims)
        {
            if (claim.Type != type) continue;
            if (found is not null || claim.ValueType != ClaimValueTypes.String) return null;
            found = claim;
        }
        return found?.Value;
    }
}

/// <summary>A validly signed token with claims this venue never issues; the message says which.</summary>
public sealed class TokenClaimException(string message) : SecurityTokenValidationException(message);
