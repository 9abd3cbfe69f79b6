using Hft.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace Hft.Auth.Tests;

/// <summary>
/// The validated-token cache answers a repeated token from memory, but never longer than full validation would accept
/// it, never for a token full validation refuses, and within its size bound.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly AuthConfig s_auth = new() { Secret = new string('k', 48) };
    private readonly TokenService _tokens = new(s_auth, SigningKeys.From(s_auth));
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The host's parameters, with full validation's lifetime check reading the same manual clock.</summary>
    private TokenValidationParameters Parameters()
    {
        var p = _tokens.ValidationParameters();
        p.LifetimeValidator = (notBefore, expires, _, v) =>
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            if (expires is { } e && now >= e + v.ClockSkew)
                throw new SecurityTokenExpiredException("expired") { Expires = e };
            return notBefore is not { } n || now + v.ClockSkew >= n;
        };
        return p;
    }

    private string Mint(string account = "A1", TimeSpan? lifetime = null)
        => _tokens.Mint(account, Roles.Trader, lifetime ?? TimeSpan.FromMinutes(15), _clock.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task A_repeated_token_is_validated_once_and_answered_from_memory()
    {
        var cache = new ValidatedTokenCache(clock: _clock);
        string token = Mint();
        var first = await cache.ValidateTokenAsync(token, Parameters());
        var second = await cache.ValidateTokenAsync(token, Parameters());
        Assert.True(first.IsValid);
        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
        Assert.Equal("A1", first.ClaimsIdentity.FindFirst(TokenService.AccountClaim)?.Value); // claim names as issued
    }

    [Fact]
    public async Task A_remembered_token_is_refused_at_the_instant_full_validation_would_refuse_it()
    {
        var cache = new ValidatedTokenCache(clock: _clock);
        string token = Mint(lifetime: TimeSpan.FromMinutes(1));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);
        var skew = Parameters().ClockSkew;

        _clock.Advance(TimeSpan.FromMinutes(1) + skew - TimeSpan.FromSeconds(1));
        Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);

        _clock.Advance(TimeSpan.FromSeconds(2));
        var late = await cache.ValidateTokenAsync(token, Parameters());
        Assert.False(late.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(late.Exception);
        Assert.Equal(0, cache.Count);
        Assert.False((await new ValidatedTokenCache(clock: _clock).ValidateTokenAsync(token, Parameters())).IsValid); // the same verdict uncached
    }

    [Fact]
    public async Task Refused_tokens_are_never_remembered()
    {
        var cache = new ValidatedTokenCache(clock: _clock);
        var otherAuth = new AuthConfig { Secret = new string('x', 48) };
        string forged = new TokenService(otherAuth, SigningKeys.From(otherAuth)).Mint("A1", Roles.Trader, null, _clock.GetUtcNow().UtcDateTime);
        string tampered = Mint()[..^2] + "AA";
        string expired = _tokens.Mint("A1", Roles.Trader, TimeSpan.FromMinutes(1), _clock.GetUtcNow().UtcDateTime.AddHours(-1));
        foreach (string bad in new[] { forged, tampered, expired, "not-a-token", "a.b.c", "" })
        {
            for (int i = 0; i < 3; i++)
                Assert.False((await cache.ValidateTokenAsync(bad, Parameters())).IsValid);
        }
        for (int i = 0; i < 1000; i++)
            Assert.False((await cache.ValidateTokenAsync("garbage." + i + ".x", Parameters())).IsValid);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task The_cache_stays_within_its_capacity_and_still_validates_every_token()
    {
        var cache = new ValidatedTokenCache(capacity: 4, clock: _clock);
        for (int i = 0; i < 50; i++)
        {
            var result = await cache.ValidateTokenAsync(Mint("A" + i), Parameters());
            Assert.True(result.IsValid);
            Assert.Equal("A" + i, result.ClaimsIdentity.FindFirst(TokenService.AccountClaim)?.Value);
            Assert.InRange(cache.Count, 1, 4);
        }
    }
}
