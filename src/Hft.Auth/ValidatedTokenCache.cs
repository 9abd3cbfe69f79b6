using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hft.Auth;

/// <summary>
/// A <see cref="JsonWebTokenHandler"/> that validates each distinct token once and answers repeats of it from memory
/// until the token expires (its <c>exp</c> plus the parameters' clock skew, the same instant full validation would
/// start refusing it). A client sends the same bearer token with every request, so the per-request cost of parsing,
/// base64, JSON and the signature check (about half the CPU of an authenticated request, and 7 KB of garbage) is paid
/// once per token lifetime.
/// </summary>
/// <remarks>
/// Only valid results are kept: a forged, malformed or expired token is validated (and refused) every time, so
/// hostile input cannot fill the cache. It holds at most <c>capacity</c> tokens and is emptied when full. Revocation
/// (logout, admin revoke) is not cached: it is checked on every request after validation. One instance serves one set
/// of validation parameters (the host's); the cached identity is shared by the requests that carry the token and is
/// only read.
/// </remarks>
public sealed class ValidatedTokenCache : JsonWebTokenHandler
{
    private readonly ConcurrentDictionary<string, Entry> _valid = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly TimeProvider _clock;

    /// <param name="capacity">Most tokens remembered.</param>
    /// <param name="clock">The clock expiry is judged by: the system clock, which full validation uses too.</param>
    public ValidatedTokenCache(int capacity = 65_536, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _clock = clock ?? TimeProvider.System;
        MapInboundClaims = false; // claim names as issued
    }

    /// <summary>Tokens currently remembered.</summary>
    public int Count => _valid.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (token is not null && _valid.TryGetValue(token, out var known))
        {
            if (_clock.GetUtcNow().UtcDateTime < known.Until) return known.Result;
            _valid.TryRemove(token, out _);
        }
        var result = await base.ValidateTokenAsync(token!, validationParameters).ConfigureAwait(false);
        if (result.IsValid && token is not null && result.SecurityToken is JsonWebToken jwt && jwt.ValidTo != DateTime.MinValue)
        {
            if (_valid.Count >= _capacity) _valid.Clear();
            _valid[token] = new Entry(result, jwt.ValidTo + validationParameters.ClockSkew);
        }
        return result;
    }

    private sealed record Entry(TokenValidationResult Result, DateTime Until);
}
