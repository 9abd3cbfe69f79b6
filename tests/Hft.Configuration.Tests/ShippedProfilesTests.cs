using System.Security.Cryptography;
using System.Text;

namespace Hft.Configuration.Tests;

public sealed class ShippedProfilesTests
{
    internal const string Secret = "a-staging-or-production-secret-of-42-bytes";

    private static Dictionary<string, string?> WithSecret() => new() { ["HFT_AUTH__SECRET"] = Secret };

    [Fact]
    public void Development_loads_with_demo_accounts_dev_secret_and_no_external_service()
    {
        var c = ConfigLoader.Load("development", RepoConfig.Dir, new Dictionary<string, string?>());

        Assert.Equal("development", c.Profile);
        Assert.Equal(RepoConfig.File("development"), c.SourceFile);
        Assert.Equal(2, c.System.MaxWorkers);
        Assert.Equal(["BTCUSD", "ETHUSD"], c.Trading.EnabledSymbols);
        Assert.Equal(["A1", "A2", "ADMIN"], c.Accounts.Select(a => a.Id));
        Assert.True(c.Auth.Enabled);
        Assert.True(c.Auth.IsDevelopmentSecret);
        Assert.Equal(AuthConfig.DevelopmentSecret, c.Auth.Secret);
        Assert.Equal("none", c.Journal.Mode);
        Assert.Null(c.Redis.Connection);
        Assert.Equal("127.0.0.1", c.Server.Bind);
        Assert.Equal("50000", c.Trading.Instruments.Single(i => i.Symbol == "BTCUSD").MarkPrice);
        Assert.Equal("10000000", c.Risk.Credit);
    }

    [Theory]
    [InlineData("dev-key-A1", "A1", "trader")]
    [InlineData("dev-key-A2", "A2", "trader")]
    [InlineData("dev-key-ADMIN", "ADMIN", "admin")]
    public void Development_api_keys_are_the_sha256_of_the_documented_plain_keys(string plain, string account, string role)
    {
        var c = ConfigLoader.Load("development", RepoConfig.Dir, new Dictionary<string, string?>());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plain)));

        var key = Assert.Single(c.Auth.ApiKeys, k => k.Sha256 == hash);
        Assert.Equal(account, key.Account);
        Assert.Equal(role, key.Role);
        Assert.Contains(plain, File.ReadAllText(RepoConfig.File("development")));
    }

    [Fact]
    public void Staging_loads_with_the_secret_from_the_environment()
    {
        var c = ConfigLoader.Load("staging", RepoConfig.Dir, WithSecret());

        Assert.Equal("staging", c.Profile);
        Assert.Equal(Secret, c.Auth.Secret);
        Assert.False(c.Auth.IsDevelopmentSecret);
        Assert.Equal("0.0.0.0", c.Server.Bind);
        Assert.Equal(8080, c.Monitoring.MetricsPort);
        Assert.Equal("redis:6379", c.Redis.Connection);
        Assert.Equal("/app/data", c.Journal.Dir);
        Assert.Equal("async", c.Journal.Mode);
    }

    [Fact]
    public void Production_loads_with_the_deployment_guide_values()
    {
        var c = ConfigLoader.Load("production", RepoConfig.Dir, WithSecret());

        Assert.Equal("production", c.Profile);
        Assert.Equal(8, c.System.MaxWorkers);
        Assert.Equal(100_000, c.System.WorkerQueueSize);
        Assert.Equal(100_000, c.Trading.MaxOrdersPerSecond);
        Assert.Equal(["BTCUSD", "ETHUSD"], c.Trading.EnabledSymbols);
        Assert.True(c.LatencyProfiling.Enabled);
        Assert.Equal(1.0, c.LatencyProfiling.SampleRate);
        Assert.Equal(8080, c.Monitoring.MetricsPort);
        Assert.True(c.Monitoring.EnablePrometheus);
        Assert.Equal("0.0.0.0", c.Server.Bind);
        Assert.Equal("redis:6379,ssl=true", c.Redis.Connection);
        Assert.Equal("/app/data", c.Journal.Dir);
        Assert.Equal("sync", c.Journal.Mode);
        Assert.True(c.Auth.Enabled);
        Assert.Equal(Secret, c.Auth.Secret);
    }

    [Fact]
    public void Shipped_files_hold_no_secret_outside_development()
    {
        Assert.DoesNotContain("secret =", File.ReadAllText(RepoConfig.File("staging")));
        Assert.DoesNotContain("secret =", File.ReadAllText(RepoConfig.File("production")));
    }

    [Fact]
    public void Development_falls_back_to_the_embedded_copy_when_the_file_is_missing()
    {
        using var dir = new TempConfigDir(); // empty
        var embedded = dir.Load("development");
        var fromFile = ConfigLoader.Load("development", RepoConfig.Dir, new Dictionary<string, string?>());

        Assert.Null(embedded.SourceFile);
        Assert.Equal(["A1", "A2", "ADMIN"], embedded.Accounts.Select(a => a.Id));
        Assert.True(embedded.Auth.IsDevelopmentSecret);
        Assert.Equal(fromFile.System, embedded.System);
        Assert.Equal(fromFile.Risk, embedded.Risk);
        Assert.Equal(fromFile.Server, embedded.Server);
        Assert.Equal(fromFile.Journal, embedded.Journal);
        Assert.Equal(fromFile.Accounts, embedded.Accounts);
        Assert.Equal(fromFile.Trading.Instruments, embedded.Trading.Instruments);
        Assert.Equal(fromFile.Auth.ApiKeys, embedded.Auth.ApiKeys);
        Assert.Equal(File.ReadAllText(RepoConfig.File("development")), ConfigLoader.EmbeddedDevelopmentToml());
    }

    [Fact]
    public void No_config_dir_means_embedded_development()
    {
        var c = ConfigLoader.Load(null, null, new Dictionary<string, string?>());
        Assert.Equal("development", c.Profile);
        Assert.Null(c.SourceFile);
    }

    [Fact]
    public void Profile_comes_from_the_argument_then_HFT_PROFILE_then_development()
    {
        var env = WithSecret();
        env["HFT_PROFILE"] = "staging";
        Assert.Equal("staging", ConfigLoader.Load(null, RepoConfig.Dir, env).Profile);
        Assert.Equal("production", ConfigLoader.Load("production", RepoConfig.Dir, env).Profile);
        Assert.Equal("development", ConfigLoader.Load(null, RepoConfig.Dir, WithSecret()).Profile);
        Assert.Equal("production", ConfigLoader.Load("Production", RepoConfig.Dir, env).Profile);
    }

    [Fact]
    public void Profile_from_args()
    {
        Assert.Equal("staging", ConfigLoader.ProfileFromArgs(["serve", "--profile", "staging"]));
        Assert.Equal("production", ConfigLoader.ProfileFromArgs(["--profile=production"]));
        Assert.Null(ConfigLoader.ProfileFromArgs(["serve"]));
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.ProfileFromArgs(["--profile"]));
        Assert.Equal("--profile: missing profile name (expected development, staging or production)", e.Message);
    }

    [Fact]
    public void Config_dir_from_HFT_CONFIG_DIR_else_found_upwards_else_embedded()
    {
        using var dir = new TempConfigDir();
        Assert.Equal(dir.Path, ConfigLoader.ResolveConfigDir(new Dictionary<string, string?> { ["HFT_CONFIG_DIR"] = dir.Path }));

        var nested = Path.Combine(dir.Path, "a", "b");
        Directory.CreateDirectory(nested);
        Directory.CreateDirectory(Path.Combine(dir.Path, "config"));
        File.Copy(RepoConfig.File("production"), Path.Combine(dir.Path, "config", "production.toml"));
        Assert.Equal(Path.Combine(dir.Path, "config"), ConfigLoader.ResolveConfigDir(new Dictionary<string, string?>(), nested));

        // From the test binaries the repository's config/ is found (base directory walk-up).
        Assert.NotNull(ConfigLoader.ResolveConfigDir(new Dictionary<string, string?>(), Path.Combine(dir.Path, "a")));

        var missing = Path.Combine(dir.Path, "nope");
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.ResolveConfigDir(new Dictionary<string, string?> { ["HFT_CONFIG_DIR"] = missing }));
        Assert.Equal($"HFT_CONFIG_DIR: directory not found: {missing}", e.Message);
    }

    [Fact]
    public void Load_from_args_and_environment_uses_HFT_CONFIG_DIR()
    {
        var env = WithSecret();
        env["HFT_CONFIG_DIR"] = RepoConfig.Dir;
        var c = ConfigLoader.Load(["--profile", "production"], env);
        Assert.Equal(RepoConfig.File("production"), c.SourceFile);
    }

    [Fact]
    public void Secrets_stay_out_of_ToString_and_Describe()
    {
        var c = ConfigLoader.Load("production", RepoConfig.Dir, WithSecret());
        Assert.DoesNotContain(Secret, c.ToString());
        Assert.DoesNotContain(Secret, ConfigLoader.Describe(c));
        Assert.Contains("<redacted>", c.Auth.ToString());

        var dev = ConfigLoader.Load("development", RepoConfig.Dir, new Dictionary<string, string?>());
        Assert.Contains("DEVELOPMENT SECRET", ConfigLoader.Describe(dev));
        Assert.DoesNotContain(AuthConfig.DevelopmentSecret, dev.ToString());
    }
}
