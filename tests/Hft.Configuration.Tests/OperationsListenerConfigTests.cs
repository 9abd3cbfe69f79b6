using System.Security.Cryptography;
using System.Text;

namespace Hft.Configuration.Tests;

/// <summary>
/// [monitoring] allowed_cidrs and ops_token_sha256, and the API's own port: the shipped profiles split the listeners
/// where they must, and a mistake stops loading with one line naming file, key and problem.
/// </summary>
public sealed class OperationsListenerConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    private static Dictionary<string, string?> WithSecret() => new() { ["HFT_AUTH__SECRET"] = ShippedProfilesTests.Secret };

    public void Dispose() => _dir.Dispose();

    private string Fails(string profile, string from, string to)
    {
        var file = _dir.WriteEdited(profile, s => s.Contains(from, StringComparison.Ordinal)
            ? s.Replace(from, to, StringComparison.Ordinal)
            : throw new InvalidOperationException($"config/{profile}.toml has no \"{from}\""));
        var e = Assert.Throws<ConfigException>(() => _dir.Load(profile, WithSecret()));
        return e.Message.Replace(file, "FILE", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("production")]
    public void Staging_and_production_serve_the_api_on_a_port_of_its_own_and_admit_only_loopback_and_private_networks(string profile)
    {
        var c = ConfigLoader.Load(profile, RepoConfig.Dir, WithSecret());
        Assert.Equal((8000, 8080), (c.Server.HttpPort, c.Monitoring.MetricsPort));
        Assert.False(c.Server.SharesOperationsPort(c.Monitoring));
        Assert.Equal(["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"], c.Monitoring.AllowedCidrs);
        Assert.Null(c.Monitoring.OpsTokenSha256);
    }

    [Fact]
    public void Development_shares_one_port_admits_loopback_only_and_carries_the_hash_of_the_development_ops_token()
    {
        var c = ConfigLoader.Load("development", RepoConfig.Dir, new Dictionary<string, string?>());
        Assert.True(c.Server.SharesOperationsPort(c.Monitoring));
        Assert.Equal(8080, c.Monitoring.MetricsPort);
        Assert.Equal(["127.0.0.0/8", "::1/128"], c.Monitoring.AllowedCidrs);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("dev-ops-token"))), c.Monitoring.OpsTokenSha256);
    }

    [Theory]
    [InlineData("http_port = 8000                   # API port", "http_port = 0                   # API port")]
    [InlineData("http_port = 8000                   # API port", "http_port = 8080                   # API port")]
    public void Production_refuses_an_api_port_shared_with_the_operations_listener(string from, string to)
        => Assert.Equal("FILE: [server] http_port: must be a port of its own in production (not 0, not metrics_port 8080): "
            + "the API port never serves /metrics and /debug", Fails("production", from, to));

    [Fact]
    public void An_allowed_network_with_host_bits_set_is_refused()
        => Assert.Equal("FILE: [monitoring] allowed_cidrs: \"10.1.2.3/8\" is not a network in CIDR notation with its host bits zero "
            + "(e.g. 10.0.0.0/8, 127.0.0.1/32, fc00::/7)", Fails("staging", "\"10.0.0.0/8\"", "\"10.1.2.3/8\""));

    [Fact]
    public void An_empty_allowed_cidrs_is_refused()
        => Assert.StartsWith("FILE: [monitoring] allowed_cidrs: must name at least one network",
            Fails("development", "allowed_cidrs = [\"127.0.0.0/8\", \"::1/128\"]", "allowed_cidrs = []"));

    [Fact]
    public void An_ops_token_hash_that_is_not_64_hex_digits_is_refused()
        => Assert.Equal("FILE: [monitoring] ops_token_sha256: must be the SHA-256 of the token as 64 hex digits, got \"dev-ops-token\" (13 characters)",
            Fails("development", "ops_token_sha256 = \"9d121d994c8c0ac8cc7786f5c0c775588c389b87416c38dd89acdefde3757d21\"", "ops_token_sha256 = \"dev-ops-token\""));
}
