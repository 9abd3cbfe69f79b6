namespace Hft.Configuration.Tests;

/// <summary>[tls] in the shipped profiles, its own rules, and production's refusal of plain connections.</summary>
public sealed class TlsConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    private static Dictionary<string, string?> With(params (string Key, string Value)[] overrides)
    {
        var env = new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = ShippedProfilesTests.Secret };
        foreach (var (key, value) in overrides) env[key] = value;
        return env;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Production_encrypts_every_connection_from_the_mounted_secret_and_development_needs_no_certificate()
    {
        var prod = ConfigLoader.Load("production", RepoConfig.Dir, With()).Tls;
        Assert.True(prod.Http && prod.Binary && prod.Fix && prod.Raft && !prod.AllowPlaintext);
        Assert.Equal(("/app/tls/tls.crt", "/app/tls/tls.key", "/app/tls/ca.crt"), (prod.CertFile, prod.KeyFile, prod.CaFile));
        foreach (var profile in new[] { "development", "staging" })
        {
            var tls = ConfigLoader.Load(profile, RepoConfig.Dir, With()).Tls;
            Assert.False(tls.AnyListener);
            Assert.Null(tls.CertFile);
        }
    }

    [Theory]
    [InlineData("HFT_TLS__HTTP", "false", "[tls] http")]
    [InlineData("HFT_REDIS__CONNECTION", "redis:6379", "[redis] connection")]
    public void Production_refuses_a_plain_listener_or_redis_naming_the_key(string key, string value, string named)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("production", RepoConfig.Dir, With((key, value))));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains("allow_plaintext", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("HFT_TLS__BINARY", "HFT_GATEWAY__BINARY_ENABLED", "[tls] binary")]
    [InlineData("HFT_TLS__FIX", "HFT_GATEWAY__FIX_ENABLED", "[tls] fix")]
    public void Production_refuses_an_enabled_gateway_without_tls(string tlsKey, string enabledKey, string named)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("production", RepoConfig.Dir, With((tlsKey, "false"), (enabledKey, "true"))));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        // A gateway that is off needs no TLS switch.
        ConfigLoader.Load("production", RepoConfig.Dir, With((tlsKey, "false")));
    }

    [Fact]
    public void Allow_plaintext_lets_production_run_behind_a_terminating_proxy()
    {
        var c = ConfigLoader.Load("production", RepoConfig.Dir, With(("HFT_TLS__ALLOW_PLAINTEXT", "true"), ("HFT_TLS__HTTP", "false"), ("HFT_REDIS__CONNECTION", "redis:6379")));
        Assert.False(c.Tls.Http);
    }

    [Theory]
    [InlineData("HFT_TLS__HTTP", "true", "[tls] cert_file")]
    [InlineData("HFT_TLS__CLIENT_CERTIFICATES", "sometimes", "[tls] client_certificates")]
    [InlineData("HFT_TLS__RELOAD_CHECK_SECONDS", "0", "[tls] reload_check_seconds")]
    public void Bad_tls_values_are_refused_naming_the_key(string key, string value, string named)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("development", RepoConfig.Dir, With((key, value))));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HFT_TLS__RAFT")]
    [InlineData("HFT_TLS__CLIENT_CERTIFICATES")]
    public void Checking_peers_needs_the_authorities_file(string key)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("development", RepoConfig.Dir, With(
            ("HFT_TLS__CERT_FILE", "/x/tls.crt"), ("HFT_TLS__KEY_FILE", "/x/tls.key"), ("HFT_TLS__BINARY", "true"),
            (key, key.EndsWith("RAFT", StringComparison.Ordinal) ? "true" : "required"))));
        Assert.Contains("[tls] ca_file", e.Message, StringComparison.Ordinal);
    }
}
