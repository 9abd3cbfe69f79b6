using Hft.Configuration;
using Hft.Configuration.Tests;

namespace Hft.Server.Tests.Feed;

/// <summary>[feed] is read strictly like every section: each mistake is one line naming file, key and problem.</summary>
public sealed class FeedConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, string?> WithSecret() => new() { ["HFT_AUTH__SECRET"] = "a-staging-or-production-secret-of-42-bytes" };

    private string Fails(string profile, Func<string, string> edit, Dictionary<string, string?>? env = null)
    {
        var file = _dir.WriteEdited(profile, edit);
        var e = Assert.Throws<ConfigException>(() => _dir.Load(profile, env ?? WithSecret()));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(file + ": ", e.Message);
        return e.Message[(file.Length + 2)..];
    }

    private static Func<string, string> Replace(string from, string to) => s => s.Replace(from, to, StringComparison.Ordinal);

    [Fact]
    public void Shipped_profiles_development_runs_the_mock_staging_and_production_are_off_with_coinbase_ready()
    {
        _dir.CopyShipped("development");
        var dev = _dir.Load("development");
        Assert.True(dev.Feed.Enabled);
        Assert.Equal("mock", dev.Feed.Adapter);
        Assert.Equal("halt", dev.Feed.OnStale);
        foreach (var profile in new[] { "staging", "production" })
        {
            var c = ConfigLoader.Load(profile, RepoConfig.Dir, WithSecret());
            Assert.False(c.Feed.Enabled);
            Assert.Equal("coinbase", c.Feed.Adapter);
            Assert.StartsWith("wss://", c.Feed.Url);
            Assert.Equal(["BTCUSD", "ETHUSD"], c.Feed.Symbols.Select(s => s.Symbol));
            Assert.Equal(["BTC-USD", "ETH-USD"], c.Feed.Symbols.Select(s => s.Product));
        }
        // Enabling it is one override away, and the result validates.
        var on = ConfigLoader.Load("production", RepoConfig.Dir, new Dictionary<string, string?>(WithSecret()) { ["HFT_FEED__ENABLED"] = "true" });
        Assert.True(on.Feed.Enabled);
    }

    [Fact]
    public void Unknown_adapter() =>
        Assert.Equal("[feed] adapter: must be one of none, mock, coinbase, binance, got \"kraken\"",
            Fails("development", Replace("adapter = \"mock\"", "adapter = \"kraken\"")));

    [Fact]
    public void Unknown_on_stale_action() =>
        Assert.Equal("[feed] on_stale: must be one of halt, widen, none, got \"panic\"",
            Fails("development", Replace("on_stale = \"halt\"", "on_stale = \"panic\"")));

    [Fact]
    public void Widen_factor_must_be_more_than_one_exact_and_short()
    {
        Assert.Equal("[feed] widen_factor: must be greater than 1 and at most 100, got 1",
            Fails("development", Replace("widen_factor = \"2\"", "widen_factor = \"1\"")));
        Assert.Equal("[feed] widen_factor: at most 6 decimals, got 1.0000001",
            Fails("development", Replace("widen_factor = \"2\"", "widen_factor = \"1.0000001\"")));
        Assert.Contains("floats are inexact", Fails("development", Replace("widen_factor = \"2\"", "widen_factor = 2.5")));
    }

    [Fact]
    public void Staleness_and_intervals_are_range_checked()
    {
        Assert.Equal("[feed] staleness_seconds: must be between 0.05 and 3600, got 0",
            Fails("development", Replace("staleness_seconds = 10", "staleness_seconds = 0")));
        Assert.Equal("[feed] min_mark_move_ticks: must be between 1 and 1000000000, got 0",
            Fails("development", Replace("min_mark_move_ticks = 1", "min_mark_move_ticks = 0")));
        Assert.Equal("[feed] reconnect_max_ms: must be at least reconnect_min_ms (250), got 100",
            Fails("development", Replace("reconnect_max_ms = 30000", "reconnect_max_ms = 100")));
        Assert.Equal("[feed] staleness_seconds (from env HFT_FEED__STALENESS_SECONDS): expected a number, got \"soon\"",
            Fails("development", Replace("# Reference price feed", "# The reference price feed"),
                new() { ["HFT_FEED__STALENESS_SECONDS"] = "soon" }));
    }

    [Fact]
    public void Unknown_key_is_refused_with_a_suggestion() =>
        Assert.Equal("[feed] stalenes_seconds: unknown key (did you mean staleness_seconds?)",
            Fails("development", Replace("staleness_seconds = 10", "stalenes_seconds = 10")));

    [Fact]
    public void Remote_adapter_needs_a_ws_url_and_symbols()
    {
        Assert.Equal("[feed] url: required for adapter coinbase (a ws:// or wss:// URL)",
            Fails("development", Replace("adapter = \"mock\"", "adapter = \"coinbase\"")));
        Assert.Equal("[feed] url: must be an absolute ws:// or wss:// URL, got \"https://example.com\"",
            Fails("development", Replace("adapter = \"mock\"", "adapter = \"coinbase\"\nurl = \"https://example.com\"")));
        Assert.Equal("[feed] symbols: adapter binance needs at least one [[feed.symbols]] entry (symbol and product)",
            Fails("development", Replace("adapter = \"mock\"", "adapter = \"binance\"\nurl = \"ws://127.0.0.1:9/ws\"")));
        Assert.Equal("[feed] url: must be wss:// (TLS) in production, got \"ws://feed.example.com\"",
            Fails("production", Replace("url = \"wss://ws-feed.exchange.coinbase.com\"", "url = \"ws://feed.example.com\""),
                new Dictionary<string, string?>(WithSecret()) { ["HFT_FEED__ENABLED"] = "true" }));
    }

    [Fact]
    public void Symbol_mapping_must_name_configured_instruments_once_with_sane_products()
    {
        Assert.Equal("[feed.symbols[0]] symbol: \"DOGEUSD\" has no [[trading.instruments]] entry (defined: BTCUSD, ETHUSD)",
            Fails("staging", Replace("symbol = \"BTCUSD\"\nproduct", "symbol = \"DOGEUSD\"\nproduct")));
        Assert.Equal("[feed.symbols[1]] symbol: \"BTCUSD\" is mapped twice",
            Fails("staging", Replace("symbol = \"ETHUSD\"\nproduct", "symbol = \"BTCUSD\"\nproduct")));
        Assert.Equal("[feed.symbols[1]] product: \"BTC-USD\" is already mapped by feed.symbols[0]",
            Fails("staging", Replace("product = \"ETH-USD\"", "product = \"BTC-USD\"")));
        Assert.Equal("[feed.symbols[0]] product: must be 1-64 letters, digits, '.', '_', '/' or '-', got \"BTC USD\"",
            Fails("staging", Replace("product = \"BTC-USD\"", "product = \"BTC USD\"")));
        Assert.Equal("[feed.symbols[0]] product: missing required key",
            Fails("staging", Replace("product = \"BTC-USD\"", "")));
    }

    [Fact]
    public void Mock_needs_a_starting_price() =>
        Assert.Equal("[feed] adapter: mock needs a starting price: set mark_price of instrument ETHUSD",
            Fails("development", Replace("mark_price = \"3000\"", "")));
}
