namespace Hft.Configuration.Tests;

/// <summary>[dr]: off by default; a DR replica needs sources, exactly one credential, a journal and no Raft group; production wants https.</summary>
public sealed class DrConfigTests
{
    private static HftConfig Load(string profile, params (string Name, string? Value)[] vars)
        => ConfigLoader.Load(profile, RepoConfig.Dir, vars.ToDictionary(v => v.Name, v => v.Value));

    private static ConfigException Error(params (string Name, string? Value)[] vars)
        => Assert.Throws<ConfigException>(() => Load("development", vars));

    private static readonly (string, string?)[] Replica =
    [
        ("HFT_DR__ENABLED", "true"), ("HFT_JOURNAL__MODE", "sync"), ("HFT_DR__SOURCES", "http://hft-0.hft:8080,http://hft-1.hft:8080/"),
        ("HFT_DR__TOKEN", "ops-token-of-the-group"),
    ];

    [Fact]
    public void Off_by_default_with_source_limits_on_every_node()
    {
        var c = Load("development");
        Assert.False(c.Dr.Enabled);
        Assert.Equal(4, c.Dr.MaxStreams);
        Assert.Equal(30, c.Dr.StreamWriteTimeoutSeconds);
    }

    [Fact]
    public void A_replica_from_the_environment_with_the_token_kept_out_of_logs()
    {
        var c = Load("development", Replica);
        Assert.True(c.Dr.Enabled);
        Assert.Equal(["http://hft-0.hft:8080", "http://hft-1.hft:8080"], c.Dr.Sources);
        Assert.Equal("ops-token-of-the-group", c.Dr.ResolveToken());
        Assert.DoesNotContain("ops-token-of-the-group", c.Dr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_may_come_from_a_file()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-a-secret\n");
            var c = Load("development", [.. Replica.Where(v => v.Item1 != "HFT_DR__TOKEN"), ("HFT_DR__TOKEN_FILE", file)]);
            Assert.Equal("from-a-secret", c.Dr.ResolveToken());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("HFT_DR__SOURCES", "", "sources", "at least one")]
    [InlineData("HFT_DR__SOURCES", "hft-0:8080", "sources", "not an http(s) base URL")]
    [InlineData("HFT_DR__SOURCES", "http://hft-0:8080/replication/journal", "sources", "not an http(s) base URL")]
    [InlineData("HFT_DR__SOURCES", "http://a:1,http://a:1", "sources", "twice")]
    [InlineData("HFT_DR__TOKEN", "", "token", "exactly one of token and token_file")]
    [InlineData("HFT_DR__TOKEN_FILE", "/nonexistent/ops-token", "token_file", "exactly one of token and token_file")]
    [InlineData("HFT_JOURNAL__MODE", "none", "enabled", "journal")]
    [InlineData("HFT_DR__MAX_STREAMS", "1000", "max_streams", "")]
    public void Each_rule_names_its_key(string name, string value, string key, string problem)
    {
        var vars = Replica.Where(v => v.Item1 != name).Append((name, value)).ToArray();
        var e = Error(vars);
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replica_is_no_member_of_a_raft_group()
    {
        var e = Error([.. Replica, ("HFT_REPLICATION__ENABLED", "true"), ("HFT_REPLICATION__PEERS", "a:1,b:1,c:1")]);
        Assert.Contains("[replication] enabled must be false", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_follows_its_sources_over_https_only()
    {
        (string, string?)[] production = [("HFT_AUTH__SECRET", ShippedProfilesTests.Secret), ("HFT_DR__ENABLED", "true"), ("HFT_DR__TOKEN", "t")];
        var e = Assert.Throws<ConfigException>(() => Load("production", [.. production, ("HFT_DR__SOURCES", "http://hft-0.hft:8080")]));
        Assert.Contains("https://", e.Message, StringComparison.Ordinal);
        Assert.True(Load("production", [.. production, ("HFT_DR__SOURCES", "https://hft-0.hft:8080")]).Dr.Enabled);
    }
}
