namespace Hft.Configuration.Tests;

/// <summary>[redis] in the shipped profiles, and bad values refused with the key named.</summary>
public sealed class RedisConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    private static Dictionary<string, string?> WithSecret() => new() { ["HFT_AUTH__SECRET"] = ShippedProfilesTests.Secret };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Development_needs_no_redis_and_staging_and_production_use_the_redis_service()
    {
        var dev = ConfigLoader.Load("development", RepoConfig.Dir, new Dictionary<string, string?>());
        Assert.False(dev.Redis.IsConfigured);
        Assert.Equal(0, dev.Redis.CacheTtlMs);
        Assert.Equal(86_400, dev.Auth.RefreshTokenLifetimeSeconds);
        foreach (var profile in new[] { "staging", "production" })
        {
            var c = ConfigLoader.Load(profile, RepoConfig.Dir, WithSecret());
            Assert.True(c.Redis.IsConfigured);
            var connection = profile == "production" ? "redis:6379,ssl=true" : "redis:6379"; // production: TLS to Redis
            Assert.Equal((connection, "hft:", 250, 500), (c.Redis.Connection, c.Redis.KeyPrefix, c.Redis.CommandTimeoutMs, c.Redis.CacheTtlMs));
            Assert.Equal((2000, 1000, 5), (c.Redis.ConnectTimeoutMs, c.Redis.ReconnectIntervalMs, c.Redis.RevocationSyncSeconds));
        }
    }

    [Theory]
    [InlineData("connection = \"redis:6379\"", "connection = \"redis:6379,nosuchoption=1\"", "connection")]
    [InlineData("connection = \"redis:6379\"", "connection = \",\"", "connection")]
    [InlineData("command_timeout_ms = 250 ", "command_timeout_ms = 0 ", "command_timeout_ms")]
    [InlineData("cache_ttl_ms = 500 ", "cache_ttl_ms = -1 ", "cache_ttl_ms")]
    [InlineData("key_prefix = \"hft:\"", "key_prefix = \"a b\"", "key_prefix")]
    [InlineData("reconnect_interval_ms = 1000", "reconnect_interval_ms = \"soon\"", "reconnect_interval_ms")]
    public void Bad_redis_values_are_refused_naming_the_key(string from, string to, string key)
    {
        _dir.WriteEdited("staging", s =>
        {
            Assert.Contains(from, s, StringComparison.Ordinal);
            return s.Replace(from, to, StringComparison.Ordinal);
        });
        var e = Assert.Throws<ConfigException>(() => _dir.Load("staging", WithSecret()));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Environment_overrides_reach_the_new_keys()
    {
        var c = ConfigLoader.Load("development", RepoConfig.Dir, new Dictionary<string, string?>
        {
            ["HFT_REDIS__CONNECTION"] = "127.0.0.1:6390", ["HFT_REDIS__CACHE_TTL_MS"] = "250", ["HFT_AUTH__REFRESH_TOKEN_LIFETIME_SECONDS"] = "3600",
        });
        Assert.Equal(("127.0.0.1:6390", 250, 3600), (c.Redis.Connection, c.Redis.CacheTtlMs, c.Auth.RefreshTokenLifetimeSeconds));
    }
}
