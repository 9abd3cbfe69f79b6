using System.Net;
using System.Net.WebSockets;
using System.Text;
using Hft.Feed;
using Hft.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Hft.Server.Tests.Feed.FeedTestSupport;

namespace Hft.Server.Tests.Feed;

/// <summary>
/// The coinbase adapter of a real server against a local WebSocket server replaying recorded-format ticker messages:
/// marks reach the risk book, staleness halts or widens and fresh prices undo it, an operator's halt is never lifted
/// by the feed, a killed connection is re-established with backoff, hostile messages are counted and skipped.
/// </summary>
public sealed class FeedEndToEndTests
{
    private static readonly HttpMethod Post = HttpMethod.Post;

    private static async Task<(LocalFeedServer Feed, ServerFixture Server)> Start(Func<Uri, Func<Hft.Configuration.HftConfig, Hft.Configuration.HftConfig>> configure)
    {
        var feed = await LocalFeedServer.StartAsync();
        ServerFixture? server = null;
        try
        {
            server = await ServerFixture.StartAsync(configure(feed.Url));
            await Until(() => feed.Received.Count > 0, "the adapter's subscription");
            return (feed, server);
        }
        catch
        {
            if (server is not null) await server.DisposeAsync();
            await feed.DisposeAsync();
            throw;
        }
    }

    private static Hft.Risk.RiskInstrument Btc(ServerFixture s) => s.Server.Pipeline.RiskBook.Instrument(0)!;

    private static async Task<string> Metrics(ServerFixture s) => await s.Client.GetStringAsync("/metrics");

    [Fact]
    public async Task Ticker_prices_become_marks_in_the_risk_book_status_and_metrics()
    {
        var (feed, s) = await Start(url => Coinbase(url));
        await using var _ = feed;
        await using var __ = s;

        var subscribe = feed.Received[0];
        Assert.Contains("\"type\":\"subscribe\"", subscribe);
        Assert.Contains("\"channels\":[\"ticker\"]", subscribe);
        Assert.Contains("\"BTC-USD\"", subscribe);
        Assert.Contains("\"ETH-USD\"", subscribe);

        Assert.Equal(1, await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "50123.45")));
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("ETH-USD", "3001.006")); // off grid: nearest tick
        await Until(() => Btc(s).Mark == 5_012_345, "BTCUSD mark 50123.45");
        await Until(() => s.Server.Pipeline.RiskBook.Instrument(1)!.Mark == 300_101, "ETHUSD mark 3001.01");

        // Valuation through the REST API: a position in BTCUSD is valued at the feed's mark.
        string a1 = s.Token("A1"), a2 = s.Token("A2");
        await s.PlaceRestingAsync(a2, "BTCUSD", "sell", "50000", "0.1");
        (await s.PlaceLimitAsync(a1, "BTCUSD", "buy", "50000", "0.1")).ShouldBe(HttpStatusCode.Created);
        await UntilAsync(async () =>
        {
            var positions = await s.GetAsync("/api/v1/positions", a1);
            return positions.Text.Contains("\"unrealizedPnl\":\"12.345\"", StringComparison.Ordinal); // (50123.45 - 50000) x 0.1
        }, "A1's position valued at the mark 50123.45");

        var status = (await s.GetAsync("/api/v1/feed/status", null)).ShouldBe(HttpStatusCode.OK).Json;
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.Equal("coinbase", status.GetProperty("source").GetString());
        Assert.True(status.GetProperty("connected").GetBoolean());
        var btc = status.GetProperty("symbols").EnumerateArray().Single(e => e.GetProperty("symbol").GetString() == "BTCUSD");
        Assert.Equal("BTC-USD", btc.GetProperty("product").GetString());
        Assert.Equal("50123.45", btc.GetProperty("lastPrice").GetString());
        Assert.Equal("50123.45", btc.GetProperty("mark").GetString());
        Assert.False(btc.GetProperty("stale").GetBoolean());

        var metrics = await Metrics(s);
        Assert.Equal(1, Sample(metrics, "hft_feed_updates_total{source=\"coinbase\",symbol=\"BTCUSD\"}"));
        Assert.Equal(0, Sample(metrics, "hft_feed_stale{symbol=\"BTCUSD\"}"));
        Assert.Equal(1, Sample(metrics, "hft_feed_connected{source=\"coinbase\"}"));
        Assert.Equal(0, Sample(metrics, "hft_feed_reconnects_total{source=\"coinbase\"}"));
        Assert.NotNull(Sample(metrics, "hft_feed_staleness_seconds{source=\"coinbase\",symbol=\"ETHUSD\"}"));
        Assert.Equal(1, Sample(metrics, "hft_feed_marks_applied_total{symbol=\"BTCUSD\"}"));
    }

    [Fact]
    public async Task Stale_prices_halt_the_instrument_and_fresh_prices_resume_it()
    {
        var (feed, s) = await Start(url => Coinbase(url, stalenessSeconds: 0.6));
        await using var _ = feed;
        await using var __ = s;
        string a1 = s.Token("A1");

        // Never updated since start: stale after 0.6 s.
        await Until(() => Btc(s).FeedHalted, "BTCUSD halted by the stale feed");
        Assert.False(Btc(s).OperatorHalted);
        (await s.PlaceLimitAsync(a1, "BTCUSD", "buy", "49000", "0.1")).ShouldBeError(HttpStatusCode.ServiceUnavailable, "instrument_halted");
        var metrics = await Metrics(s);
        Assert.Equal(1, Sample(metrics, "hft_feed_stale{symbol=\"BTCUSD\"}"));
        Assert.True(Sample(metrics, "hft_feed_staleness_seconds{source=\"coinbase\",symbol=\"BTCUSD\"}") >= 0.6);
        var status = (await s.GetAsync("/api/v1/feed/status", null)).Json;
        var btc = status.GetProperty("symbols").EnumerateArray().Single(e => e.GetProperty("symbol").GetString() == "BTCUSD");
        Assert.True(btc.GetProperty("stale").GetBoolean());
        Assert.True(btc.GetProperty("feedHalted").GetBoolean());

        // Fresh prices: the feed's halt is lifted and trading resumes. (A busy machine may let 0.6 s pass between the
        // price and the order, and the feed rightly halts again: each try sends a fresh price first.)
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "49500"));
        await Until(() => !Btc(s).Halted, "BTCUSD trading again");
        var placed = await s.PlaceLimitAsync(a1, "BTCUSD", "buy", "49000", "0.1");
        for (int attempt = 0; attempt < 5 && placed.Status == HttpStatusCode.ServiceUnavailable; attempt++)
        {
            await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "49500"));
            await Until(() => !Btc(s).Halted, "BTCUSD trading again");
            placed = await s.PlaceLimitAsync(a1, "BTCUSD", "buy", "49000", "0.1");
        }
        placed.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(0, Sample(await Metrics(s), "hft_feed_stale{symbol=\"BTCUSD\"}"));
    }

    [Fact]
    public async Task Feed_recovery_never_lifts_an_operators_halt()
    {
        var (feed, s) = await Start(url => Coinbase(url, stalenessSeconds: 0.6));
        await using var _ = feed;
        await using var __ = s;

        await Until(() => Btc(s).FeedHalted, "BTCUSD halted by the stale feed");
        (await s.AdminAsync(Post, "/instruments/BTCUSD/halt")).ShouldBe(HttpStatusCode.OK);
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "49500"));
        await Until(() => !Btc(s).FeedHalted, "the feed's halt lifted");
        Assert.True(Btc(s).Halted); // the operator's halt stays
        Assert.True(Btc(s).OperatorHalted);
        (await s.PlaceLimitAsync(s.Token("A1"), "BTCUSD", "buy", "49000", "0.1")).ShouldBeError(HttpStatusCode.ServiceUnavailable, "instrument_halted");
        var btc = (await s.GetAsync("/api/v1/feed/status", null)).Json.GetProperty("symbols").EnumerateArray()
            .Single(e => e.GetProperty("symbol").GetString() == "BTCUSD");
        Assert.True(btc.GetProperty("operatorHalted").GetBoolean());
        Assert.False(btc.GetProperty("feedHalted").GetBoolean());

        // Only the operator resumes; and an operator halt placed while the feed was fresh also survives the next staleness cycle.
        (await s.AdminAsync(Post, "/instruments/BTCUSD/resume")).ShouldBe(HttpStatusCode.OK);
        Assert.False(Btc(s).OperatorHalted);
        (await s.AdminAsync(Post, "/instruments/BTCUSD/halt")).ShouldBe(HttpStatusCode.OK);
        var stage = s.Server.Services.GetRequiredService<FeedStage>();
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "49501"));
        await Until(() => stage.Status().Symbols[0].LastPrice == "49501", "fresh price 49501");
        await Until(() => Btc(s).FeedHalted, "stale again");
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "49502"));
        await Until(() => !Btc(s).FeedHalted, "the feed's halt lifted again");
        Assert.True(Btc(s).OperatorHalted);
    }

    [Fact]
    public async Task Widen_mode_widens_the_band_while_stale_and_restores_it_when_fresh()
    {
        var (feed, s) = await Start(url => Coinbase(url, stalenessSeconds: 0.6, onStale: "widen", widenFactor: "3"));
        await using var _ = feed;
        await using var __ = s;
        string a1 = s.Token("A1");

        var stage = s.Server.Services.GetRequiredService<FeedStage>();
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "50000"));
        await Until(() => stage.Status().Symbols[0].LastPrice == "50000", "BTCUSD price 50000 received");
        await Until(() => Btc(s).BandWidenPpm == 3_000_000, "stale again after 0.6 s: band x3");
        Assert.Equal(5_000_000, Btc(s).Mark);
        Assert.False(Btc(s).Halted);
        // band 10% around 50000 is 45000..55000; x3 is 35000..65000
        (await s.PlaceLimitAsync(a1, "BTCUSD", "buy", "60000", "0.001")).ShouldBe(HttpStatusCode.Created);

        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "50000.01"));
        await Until(() => Btc(s).BandWidenPpm == 0, "band restored by fresh prices");
        (await s.PlaceLimitAsync(a1, "BTCUSD", "buy", "60000", "0.001")).ShouldBeError(HttpStatusCode.UnprocessableEntity, "price_band");
    }

    [Fact]
    public async Task A_killed_connection_is_reestablished_with_backoff_and_prices_flow_again()
    {
        var (feed, s) = await Start(url => Coinbase(url));
        await using var _ = feed;
        await using var __ = s;

        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "50001"));
        await Until(() => Btc(s).Mark == 5_000_100, "first mark");
        for (int kill = 1; kill <= 3; kill++)
        {
            feed.KillAll();
            await Until(() => feed.Connections == kill + 1 && feed.Received.Count == kill + 1, $"reconnect #{kill} and a new subscription");
        }
        await UntilAsync(async () => Sample(await Metrics(s), "hft_feed_reconnects_total{source=\"coinbase\"}") == 3, "3 reconnects counted");
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "50002"));
        await Until(() => Btc(s).Mark == 5_000_200, "mark after reconnecting");
        Assert.Equal(1, Sample(await Metrics(s), "hft_feed_connected{source=\"coinbase\"}"));
    }

    [Fact]
    public async Task Hostile_messages_on_the_wire_are_counted_and_skipped_and_the_feed_goes_on()
    {
        var (feed, s) = await Start(url => Coinbase(url));
        await using var _ = feed;
        await using var __ = s;

        await feed.SendAsync("{not json");
        await feed.SendAsync(new string('x', 70_000));                                   // larger than a message may be
        await feed.SendAsync(Encoding.UTF8.GetBytes(LocalFeedServer.CoinbaseTicker("BTC-USD", "1")), WebSocketMessageType.Binary);
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("DOGE-USD", "0.1"));
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "-5"));
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "123456789012345678901234567890"));
        await feed.SendAsync("""{"type":"subscriptions","channels":[]}""");                 // ignored, not refused
        await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "50003"));
        await Until(() => Btc(s).Mark == 5_000_300, "the good price after the bad ones");

        var metrics = await Metrics(s);
        foreach (var reason in new[] { "bad_json", "not_text", "unknown_product", "not_positive" })
            Assert.True(Sample(metrics, $"hft_feed_rejected_total{{source=\"coinbase\",reason=\"{reason}\"}}") == 1, reason);
        Assert.Equal(2, Sample(metrics, "hft_feed_rejected_total{source=\"coinbase\",reason=\"too_large\"}")); // oversized message, huge price
        Assert.Equal(0, Sample(metrics, "hft_feed_reconnects_total{source=\"coinbase\"}")); // none of it broke the connection
        Assert.Equal(6, (await s.GetAsync("/api/v1/feed/status", null)).Json.GetProperty("rejected").GetInt64());
    }

    [Fact]
    public async Task Development_mock_moves_marks_and_a_disabled_feed_still_exports_the_stale_flag()
    {
        await using (var s = await ServerFixture.StartAsync(c => c with
                     {
                         Feed = c.Feed with { Enabled = true, Adapter = "mock", MockIntervalMs = 10, MinMarkIntervalMs = 0, MockVolatilityBps = 20 },
                     }))
        {
            var marks = new HashSet<long>();
            await Until(() => marks.Add(Btc(s).Mark) && marks.Count >= 5, "five different BTCUSD marks from the mock");
            var status = (await s.GetAsync("/api/v1/feed/status", null)).Json;
            Assert.Equal("mock", status.GetProperty("source").GetString());
            Assert.Equal(["BTCUSD", "ETHUSD"], status.GetProperty("symbols").EnumerateArray().Select(e => e.GetProperty("symbol").GetString()));
        }

        await using var off = await ServerFixture.StartAsync(); // the fixtures' default: feed off
        var metrics = await Metrics(off);
        Assert.Equal(0, Sample(metrics, "hft_feed_stale{symbol=\"BTCUSD\"}"));
        Assert.Equal(0, Sample(metrics, "hft_feed_stale{symbol=\"ETHUSD\"}"));
        var offStatus = (await off.GetAsync("/api/v1/feed/status", null)).Json;
        Assert.False(offStatus.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, offStatus.GetProperty("symbols").GetArrayLength());
    }
}
