namespace Hft.Configuration.Tests;

/// <summary>[replication]: defaults (off), env overrides, and the rules a Raft group needs, each refused with the key named.</summary>
public sealed class ReplicationConfigTests
{
    private static HftConfig Dev(params (string Name, string? Value)[] vars)
        => ConfigLoader.Load("development", RepoConfig.Dir, vars.ToDictionary(v => v.Name, v => v.Value));

    private static ConfigException DevError(params (string Name, string? Value)[] vars)
        => Assert.Throws<ConfigException>(() => Dev(vars));

    private static readonly (string, string?)[] Group =
    [
        ("HFT_REPLICATION__ENABLED", "true"), ("HFT_JOURNAL__MODE", "sync"),
        ("HFT_REPLICATION__PEERS", "127.0.0.1:9200,127.0.0.1:9201,hft-2.hft-raft:9200"),
    ];

    [Fact]
    public void Off_by_default_single_node()
    {
        var c = Dev();
        Assert.False(c.Replication.Enabled);
        Assert.Equal(0, c.Replication.Group);
        Assert.Equal("majority", c.Replication.Ack);
        Assert.Equal(8, c.Replication.MaxInFlight);
    }

    [Fact]
    public void A_three_node_group_from_the_environment()
    {
        var c = Dev([.. Group, ("HFT_REPLICATION__NODE_ID", "2"), ("HFT_REPLICATION__ACK", "leader"), ("HFT_REPLICATION__GROUP", "7"),
            ("HFT_REPLICATION__ELECTION_TIMEOUT_MS", "250"), ("HFT_REPLICATION__API_URLS", "http://a:8080,http://b:8080,http://c:8080"),
            ("HFT_REPLICATION__MAX_READY_LAG", "50"), ("HFT_REPLICATION__MAX_IN_FLIGHT", "32")]);
        Assert.Equal(50, c.Replication.MaxReadyLag);
        Assert.Equal(32, c.Replication.MaxInFlight);
        Assert.True(c.Replication.Enabled);
        Assert.Equal(["127.0.0.1:9200", "127.0.0.1:9201", "hft-2.hft-raft:9200"], c.Replication.Peers);
        Assert.Equal(2, c.Replication.NodeId);
        Assert.Equal("leader", c.Replication.Ack);
        Assert.Equal(7, c.Replication.Group);
        Assert.Equal(250, c.Replication.ElectionTimeoutMs);
        Assert.Equal(Path.Combine(c.Journal.Dir, "raft"), c.Replication.ResolveDir(c.Journal.Dir));
    }

    [Theory]
    [InlineData("127.0.0.1:9200,127.0.0.1:9201", "peers", "odd number")]
    [InlineData("127.0.0.1:9200,127.0.0.1:9201,127.0.0.1:9202,127.0.0.1:9203", "peers", "odd number")]
    [InlineData("127.0.0.1:9200,127.0.0.1:9200,127.0.0.1:9202", "peers", "twice")]
    [InlineData("127.0.0.1:9200,127.0.0.1,127.0.0.1:9202", "peers", "not host:port")]
    [InlineData("127.0.0.1:9200,127.0.0.1:70000,127.0.0.1:9202", "peers", "port must be")]
    public void Bad_peers_are_refused(string peers, string key, string problem)
    {
        var e = DevError(("HFT_REPLICATION__ENABLED", "true"), ("HFT_JOURNAL__MODE", "sync"), ("HFT_REPLICATION__PEERS", peers));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_cross_key_rule_names_its_key()
    {
        Assert.Contains("node_id", DevError([.. Group, ("HFT_REPLICATION__NODE_ID", "3")]).Message, StringComparison.Ordinal);
        Assert.Contains("api_urls", DevError([.. Group, ("HFT_REPLICATION__API_URLS", "http://a:1,http://b:1")]).Message, StringComparison.Ordinal);
        Assert.Contains("api_urls", DevError([.. Group, ("HFT_REPLICATION__API_URLS", "ftp://a:1,http://b:1,http://c:1")]).Message, StringComparison.Ordinal);
        Assert.Contains("ack", DevError([.. Group, ("HFT_REPLICATION__ACK", "quorum")]).Message, StringComparison.Ordinal);
        Assert.Contains("group", DevError([.. Group, ("HFT_REPLICATION__GROUP", "1024")]).Message, StringComparison.Ordinal);
        Assert.Contains("max_ready_lag", DevError([.. Group, ("HFT_REPLICATION__MAX_READY_LAG", "0")]).Message, StringComparison.Ordinal);
        Assert.Contains("max_in_flight", DevError([.. Group, ("HFT_REPLICATION__MAX_IN_FLIGHT", "0")]).Message, StringComparison.Ordinal);
        Assert.Contains("max_in_flight", DevError([.. Group, ("HFT_REPLICATION__MAX_IN_FLIGHT", "1025")]).Message, StringComparison.Ordinal);
        var none = DevError(("HFT_REPLICATION__ENABLED", "true"), ("HFT_JOURNAL__MODE", "none"), Group[2]);
        Assert.Contains("journal", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Raft_snapshots_every_ten_thousand_entries_by_default_configurable_and_checked()
    {
        Assert.Equal(10_000, Dev(Group).Replication.SnapshotEntries);
        Assert.Equal(500, Dev([.. Group, ("HFT_REPLICATION__SNAPSHOT_ENTRIES", "500")]).Replication.SnapshotEntries);
        Assert.Equal(0, Dev([.. Group, ("HFT_REPLICATION__SNAPSHOT_ENTRIES", "0")]).Replication.SnapshotEntries);
        foreach (string bad in new[] { "-1", "10" })
            Assert.Contains("snapshot_entries", DevError([.. Group, ("HFT_REPLICATION__SNAPSHOT_ENTRIES", bad)]).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hft-2", 2)]
    [InlineData("hft-trading-10", 10)]
    [InlineData("hft", null)]
    [InlineData("hft-x", null)]
    public void Node_id_minus_one_takes_the_host_names_ordinal(string host, int? expected)
        => Assert.Equal(expected, new ReplicationConfig { NodeId = -1 }.ResolveNodeId(host));
}
