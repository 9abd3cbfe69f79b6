using System.Net;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Hft.Server.Tests.Durability;
using Hft.Server.Tests.Support;
using static Hft.Server.Tests.Feed.FeedTestSupport;

namespace Hft.Server.Tests.Feed;

/// <summary>
/// Feed marks, feed halts and band widening change risk decisions, so they are journaled: a restart (from the
/// shutdown snapshot, and from the journal alone) reproduces them exactly, state hash included.
/// </summary>
public sealed class FeedJournalReplayTests
{
    [Theory]
    [InlineData("halt")]
    [InlineData("widen")]
    public async Task Restart_reproduces_feed_marks_and_stale_actions_from_snapshot_and_from_the_journal_alone(string onStale)
    {
        string dir = Path.Combine(Path.GetTempPath(), "hft-feed-replay-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var feed = await LocalFeedServer.StartAsync();
            Hft.Configuration.HftConfig config;
            TradingPipeline livePipeline;
            await using (var s = await ServerFixture.StartAsync(Coinbase(feed.Url, stalenessSeconds: 2, onStale: onStale, widenFactor: "2.5",
                             more: c => c with { Journal = c.Journal with { Dir = dir, Mode = "async", SnapshotIntervalSeconds = 0 } })))
            {
                config = s.Config;
                livePipeline = s.Server.Pipeline;
                var risk = s.Server.Pipeline.RiskBook;
                await Until(() => feed.Received.Count > 0, "subscription");
                await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "50100"));
                await feed.SendAsync(LocalFeedServer.CoinbaseTicker("ETH-USD", "3000.5"));
                await Until(() => risk.Instrument(0)!.Mark == 5_010_000 && risk.Instrument(1)!.Mark == 300_050, "both marks");
                // trade while fresh (stale after 2 s without prices)
                await s.PlaceRestingAsync(s.Token("A2"), "BTCUSD", "sell", "50100", "0.2");
                (await s.PlaceLimitAsync(s.Token("A1"), "BTCUSD", "buy", "50100", "0.1")).ShouldBe(HttpStatusCode.Created);

                // Both go stale (no more prices), then BTCUSD is fresh again at a new price; ETHUSD stays stale.
                await Until(() => risk.Instrument(1)!.HaltedBy != Hft.Risk.HaltSource.None || risk.Instrument(1)!.BandWidenPpm != 0, "ETHUSD stale action");
                await Until(() => risk.Instrument(0)!.HaltedBy != Hft.Risk.HaltSource.None || risk.Instrument(0)!.BandWidenPpm != 0, "BTCUSD stale action");
                await feed.SendAsync(LocalFeedServer.CoinbaseTicker("BTC-USD", "50200.5"));
                await Until(() => risk.Instrument(0)!.Mark == 5_020_050, "BTCUSD new mark");
                feed.KillAll();
            } // graceful stop: the feed stops first, the shards drain, a shutdown snapshot is written

            // The live server's final state (its shards are stopped: nothing moves any more).
            string liveHash = PipelineHarness.Hash(livePipeline);
            long[] liveMarks = Marks(livePipeline);
            var liveStale = Stale(livePipeline);
            Assert.Equal([5_020_050, 300_050], liveMarks);
            Assert.True(onStale == "halt" ? liveStale[1].FeedHalted : liveStale[1].Widen == 2_500_000, "ETHUSD still stale at shutdown");

            // 1. from the shutdown snapshot (format v2 carries the feed's halt and widening)
            Assert.NotEmpty(Directory.GetFiles(dir, "snapshot-*.snap"));
            await AssertSame(config, liveHash, liveMarks, liveStale);

            // 2. from the journal alone
            foreach (var snap in Directory.GetFiles(dir, "snapshot-*.snap")) File.Delete(snap);
            await AssertSame(config, liveHash, liveMarks, liveStale);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static (bool FeedHalted, bool OperatorHalted, long Widen)[] Stale(TradingPipeline p)
        => p.Instruments.All.Select(i => p.RiskBook.Instrument(i.Index)!).Select(r => (r.FeedHalted, r.OperatorHalted, r.BandWidenPpm)).ToArray();

    private static long[] Marks(TradingPipeline p) => p.Instruments.All.Select(i => p.RiskBook.Instrument(i.Index)!.Mark).ToArray();

    /// <summary>Recovers a fresh pipeline from the journal directory and compares it with the live state.</summary>
    private static async Task AssertSame(Hft.Configuration.HftConfig config, string hash, long[] marks, (bool, bool, long)[] stale)
    {
        await using var node = PipelineHarness.Node(config);
        var p = node.Pipeline;
        Assert.Equal(marks, Marks(p));
        Assert.Equal(stale, Stale(p));
        Assert.Equal(hash, PipelineHarness.Hash(p));
    }
}
