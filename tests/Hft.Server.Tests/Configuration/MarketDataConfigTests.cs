using Hft.Configuration;
using Hft.Configuration.Tests;
using Hft.Server.MarketData;

namespace Hft.Server.Tests.Configuration;

/// <summary>[market_data] and the level3 account entitlement: bound strictly, with one-line errors.</summary>
public sealed class MarketDataConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigException Fails(Func<string, string> edit)
    {
        _dir.WriteEdited("development", edit);
        var e = Assert.Throws<ConfigException>(() => _dir.Load("development"));
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Theory]
    [InlineData("development")]
    [InlineData("staging")]
    [InlineData("production")]
    public void Every_profile_binds_the_section_into_the_feed_options(string profile)
    {
        _dir.CopyShipped(profile);
        var c = _dir.Load(profile, new() { ["HFT_AUTH__SECRET"] = "a-staging-or-production-secret-of-42-bytes" }).MarketData;
        var defaults = new MarketDataConfig();
        Assert.Empty(c.BinaryFeedTargets); // a list: compared by its items, the rest of the record by value
        Assert.Equal(defaults, c with { BinaryFeedTargets = defaults.BinaryFeedTargets }); // the profiles spell out the defaults
        var o = MarketDataOptions.From(c);
        Assert.Equal((1000, 3, 4096, 100, 10_000, TimeSpan.FromSeconds(15), 0, 10, 65_536, 4096),
            (o.SendQueueLimit, o.MaxOverflows, o.UserQueueLimit, o.MaxSubscriptions, o.MaxConnections, o.Heartbeat, o.DefaultConflateMs, o.MinConflateMs,
                o.EventQueueCapacity, o.MaxMessageBytes));
    }

    [Fact]
    public void Level3_entitlement_is_an_account_key()
    {
        _dir.CopyShipped("development");
        var accounts = _dir.Load("development").Accounts;
        Assert.True(accounts.Single(a => a.Id == "A1").MarketDataLevel3);
        Assert.False(accounts.Single(a => a.Id == "A2").MarketDataLevel3);
    }

    [Fact]
    public void Out_of_range_and_unknown_keys_fail_with_the_key_named()
    {
        Assert.Contains("[market_data] send_queue_limit", Fails(s => s.Replace("send_queue_limit = 1000", "send_queue_limit = 0", StringComparison.Ordinal)).Message);
        Assert.Contains("[market_data] default_conflate_ms: must be 0 or at least min_conflate_ms",
            Fails(s => s.Replace("default_conflate_ms = 0", "default_conflate_ms = 5", StringComparison.Ordinal)).Message);
        Assert.Contains("conflate", Fails(s => s.Replace("max_message_bytes = 4096", "max_message_bytes = 4096\nconflate = 1", StringComparison.Ordinal)).Message);
        Assert.Contains("market_data_level3", Fails(s => s.Replace("market_data_level3 = true", "market_data_level3 = \"yes\"", StringComparison.Ordinal)).Message);
    }
}
