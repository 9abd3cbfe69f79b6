namespace Hft.Configuration.Tests;

/// <summary>[gateway] binary session keys: the development profile's values and range checks.</summary>
public sealed class BinaryGatewayConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Development_profile_serves_the_binary_gateway_with_its_session_limits()
    {
        _dir.CopyShipped("development");
        var g = _dir.Load("development").Gateway;
        Assert.True(g.BinaryEnabled);
        Assert.Equal((64, 16, 1000, 250_000), (g.BinaryMaxSessions, g.BinaryMaxSessionsPerAccount, g.BinaryHeartbeatMs, g.BinaryMaxMessagesPerSecond));
    }

    [Fact]
    public void Every_profile_caps_the_sessions_of_one_account_below_the_total()
    {
        foreach (var profile in new[] { "development", "staging", "production" })
        {
            var g = ConfigLoader.Load(profile, RepoConfig.Dir, new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = ShippedProfilesTests.Secret }).Gateway;
            Assert.InRange(g.BinaryMaxSessionsPerAccount, 1, g.BinaryMaxSessions - 1);
        }
    }

    [Fact]
    public void A_per_account_cap_above_the_total_is_refused()
    {
        _dir.WriteEdited("development", s => s.Replace("binary_max_sessions_per_account = 16", "binary_max_sessions_per_account = 65", StringComparison.Ordinal));
        var e = Assert.Throws<ConfigException>(() => _dir.Load("development"));
        Assert.Contains("[gateway] binary_max_sessions_per_account", e.Message);
        Assert.Contains("must not exceed binary_max_sessions (64)", e.Message);
    }

    [Theory]
    [InlineData("binary_max_sessions = 64", "binary_max_sessions = 0", "[gateway] binary_max_sessions")]
    [InlineData("binary_max_sessions_per_account = 16", "binary_max_sessions_per_account = 0", "[gateway] binary_max_sessions_per_account")]
    [InlineData("binary_heartbeat_ms = 1000", "binary_heartbeat_ms = 5", "[gateway] binary_heartbeat_ms")]
    [InlineData("binary_max_messages_per_second = 250000", "binary_max_messages_per_second = -1", "[gateway] binary_max_messages_per_second")]
    public void Out_of_range_values_are_refused(string from, string to, string names)
    {
        _dir.WriteEdited("development", s => s.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<ConfigException>(() => _dir.Load("development"));
        Assert.Contains(names, e.Message);
    }
}
