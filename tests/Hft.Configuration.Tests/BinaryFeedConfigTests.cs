namespace Hft.Configuration.Tests;

/// <summary>[market_data] binary_feed_* keys: off in every shipped profile, bound when set, and checked.</summary>
public sealed class BinaryFeedConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_profile_ships_the_binary_feed_off_with_its_limits()
    {
        foreach (var profile in new[] { "development", "staging", "production" })
        {
            var m = ConfigLoader.Load(profile, RepoConfig.Dir, new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = ShippedProfilesTests.Secret }).MarketData;
            Assert.False(m.BinaryFeedEnabled);
            Assert.Empty(m.BinaryFeedTargets);
            Assert.Null(m.BinaryFeedMulticastGroup);
            Assert.Equal((31_002, 1400, 262_144, 10_000, 16), (m.BinaryFeedRecoveryPort, m.BinaryFeedMtu, m.BinaryFeedRetransmitCapacity,
                m.BinaryFeedMaxRetransmitMessages, m.BinaryFeedMaxRecoveryClients));
        }
    }

    [Fact]
    public void Targets_and_a_multicast_group_are_bound()
    {
        _dir.WriteEdited("development", s => s
            .Replace("binary_feed_enabled = false", "binary_feed_enabled = true", StringComparison.Ordinal)
            .Replace("binary_feed_targets = []", "binary_feed_targets = [\"127.0.0.1:40001\", \"feed-client:40002\"]", StringComparison.Ordinal)
            .Replace("binary_feed_multicast_group = \"\"", "binary_feed_multicast_group = \"239.1.1.1\"", StringComparison.Ordinal)
            .Replace("binary_feed_mtu = 1400", "binary_feed_mtu = 8900", StringComparison.Ordinal));
        var m = _dir.Load("development").MarketData;
        Assert.True(m.BinaryFeedEnabled);
        Assert.Equal(["127.0.0.1:40001", "feed-client:40002"], m.BinaryFeedTargets);
        Assert.Equal("239.1.1.1", m.BinaryFeedMulticastGroup);
        Assert.Equal(8900, m.BinaryFeedMtu);
    }

    [Theory]
    [InlineData("binary_feed_targets = []", "binary_feed_targets = [\"no-port\"]", "[market_data] binary_feed_targets")]
    [InlineData("binary_feed_multicast_group = \"\"", "binary_feed_multicast_group = \"10.0.0.1\"", "[market_data] binary_feed_multicast_group")]
    [InlineData("binary_feed_multicast_interface = \"\"", "binary_feed_multicast_interface = \"eth0\"", "[market_data] binary_feed_multicast_interface")]
    [InlineData("binary_feed_mtu = 1400", "binary_feed_mtu = 64", "[market_data] binary_feed_mtu")]
    [InlineData("binary_feed_retransmit_capacity = 262144", "binary_feed_retransmit_capacity = 10", "[market_data] binary_feed_retransmit_capacity")]
    [InlineData("binary_feed_max_recovery_clients = 16", "binary_feed_max_recovery_clients = 0", "[market_data] binary_feed_max_recovery_clients")]
    public void Bad_values_are_refused(string from, string to, string names)
    {
        _dir.WriteEdited("development", s => s.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<ConfigException>(() => _dir.Load("development"));
        Assert.Contains(names, e.Message);
    }
}
