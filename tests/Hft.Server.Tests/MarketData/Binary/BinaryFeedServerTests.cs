using System.Diagnostics;
using System.Globalization;
using Hft.Auth;
using Hft.Core.Orders;
using Hft.MarketData;
using Hft.Pipeline.Shards;
using Hft.Server.Tests.Support;
using static Hft.Server.Tests.MarketData.Binary.FeedTestKit;

namespace Hft.Server.Tests.MarketData.Binary;

/// <summary>
/// A real server with the binary feed on: a random order stream over REST (limits, icebergs, cancels, replaces, crossing
/// IOCs, a halt and resume) reaches a client through a relay that drops datagrams, and the client's rebuilt book equals
/// the matching engine's, order by order, with every instrument's status.
/// </summary>
public sealed class BinaryFeedServerTests
{
    [Fact]
    public async Task The_client_rebuilds_the_engine_book_exactly_despite_lost_datagrams()
    {
        using var relay = new LossyUdpRelay(n => n % 4 == 0);
        await using var s = await ApiServerFixture.StartAsync(c => c with
        {
            MarketData = c.MarketData with
            {
                BinaryFeedEnabled = true, BinaryFeedTargets = [$"127.0.0.1:{relay.Port}"], BinaryFeedRecoveryPort = 0, BinaryFeedHeartbeatMs = 50,
            },
        });
        var feed = s.Server.BinaryFeed!;
        using var client = NewClient(feed);
        relay.To = client.Port;
        var feedTradeIds = new System.Collections.Concurrent.ConcurrentBag<long>();
        client.OnMessage = (in FeedMessage m, long _, bool _) =>
        {
            if (m.Type == FeedMessageType.Trade) feedTradeIds.Add(m.TradeId);
        };
        client.Start();

        await RandomFlow(s, seed: 42, operations: 240);
        int instruments = s.Pipeline.Instruments.Count;
        string engine = "";
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            engine = await EngineText(s);
            if (client.Read(b => Text(b, instruments)) == engine && client.NextSequence == feed.Sequence + 1) break;
            await Task.Delay(20);
        }
        Assert.Equal(engine, client.Read(b => Text(b, instruments)));
        Assert.Contains("Buy", engine);
        Assert.Contains("Sell", engine);
        Assert.True(relay.Dropped > 0);
        Assert.True(client.Gaps > 0, "datagrams were dropped, so the client must have seen gaps");
        Assert.Equal(0, client.RecoveryFailures);
        Assert.Equal(0, client.Read(b => b.Inconsistencies));
        Assert.True(feed.Recovery.RetransmitRequests + feed.Recovery.SnapshotRequests > 0);

        // Every trade on the feed, recovered ones included, carries the id the REST trade tape shows for it.
        var restTradeIds = new List<long>();
        for (int i = 0; i < instruments; i++)
            restTradeIds.AddRange((await s.Anonymous.Get($"api/v1/trades/{s.Pipeline.Instruments[i].Symbol}?limit=1000")).Body.EnumerateArray()
                .Select(t => t.GetProperty("tradeId").GetInt64()));
        Assert.NotEmpty(restTradeIds);
        Assert.Equal(restTradeIds.Order(), feedTradeIds.Order());
    }

    /// <summary>The engine's books and statuses in <see cref="FeedTestKit.Text"/>'s form.</summary>
    private static async Task<string> EngineText(ApiServerFixture s)
    {
        var book = new FeedBook();
        for (int i = 0; i < s.Pipeline.Instruments.Count; i++)
        {
            var query = new BookSnapshotQuery(i, 100_000, 100_000);
            Assert.True(s.Pipeline.Query(s.Pipeline.ShardOf(i).Index, query));
            var snapshot = await query.Task.WaitAsync(TimeSpan.FromSeconds(30));
            bool halted = s.Pipeline.RiskBook.Instrument(i)?.Halted ?? false;
            book.Apply(FeedMessage.InstrumentStatus((ushort)i, halted ? FeedTradingStatus.Halted : FeedTradingStatus.Trading));
            foreach (var o in snapshot.BidOrders.Concat(snapshot.AskOrders))
                book.Apply(FeedMessage.AddOrder((ushort)i, o.OrderId, o.Side == Side.Buy ? FeedSide.Buy : FeedSide.Sell, o.Price, o.Remaining));
        }
        return Text(book, s.Pipeline.Instruments.Count);
    }

    private static async Task RandomFlow(ApiServerFixture s, int seed, int operations)
    {
        var random = new Random(seed);
        var traders = new[] { s.Client("A1"), s.Client("A2") };
        var admin = s.Client("ADMIN", Roles.Admin);
        var live = new List<(long Id, HttpClient Owner, string Symbol)>();
        string Px(decimal v) => v.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < operations; i++)
        {
            var owner = traders[random.Next(2)];
            bool eth = random.Next(3) == 0;
            string symbol = eth ? "ETHUSD" : "BTCUSD";
            decimal mid = eth ? 3000m : 50000m, step = eth ? 0.5m : 5m, lot = eth ? 0.01m : 0.001m;
            int roll = random.Next(100);
            if (roll < 50 || live.Count == 0)
            {
                bool buy = random.Next(2) == 0;
                decimal price = buy ? mid - step * random.Next(0, 12) : mid + step * random.Next(1, 12);
                decimal qty = lot * random.Next(1, 20);
                object order = random.Next(8) == 0
                    ? new { symbol, side = buy ? "buy" : "sell", type = "limit", tif = "gtc", price = Px(price), qty = Px(qty * 4), displayQty = Px(qty) }
                    : Rest.Limit(buy ? "buy" : "sell", Px(price), Px(qty), symbol);
                var placed = await owner.Place(order);
                if (placed.Status == System.Net.HttpStatusCode.Created) live.Add((placed.Id, owner, symbol));
            }
            else if (roll < 65)
            {
                var (id, who, _) = live[random.Next(live.Count)];
                await who.Delete($"api/v1/orders/{id}"); // some are gone already: a refusal changes nothing
            }
            else if (roll < 78)
            {
                var (id, who, sym) = live[random.Next(live.Count)];
                bool ethOrder = sym == "ETHUSD";
                var patch = random.Next(2) == 0
                    ? (object)new { qty = Px((ethOrder ? 0.01m : 0.001m) * random.Next(1, 10)) }
                    : new { price = Px((ethOrder ? 3000m : 50000m) + (ethOrder ? 0.5m : 5m) * random.Next(-11, 0)), qty = Px((ethOrder ? 0.01m : 0.001m) * random.Next(1, 10)) };
                await who.Patch($"api/v1/orders/{id}", patch);
            }
            else if (roll < 96)
            {
                bool buy = random.Next(2) == 0;
                decimal price = buy ? mid + step * 12 : mid - step * 12;
                await owner.Place(Rest.Limit(buy ? "buy" : "sell", Px(price), Px(lot * random.Next(1, 30)), symbol, tif: "ioc"));
            }
            else
            {
                (await admin.Post($"api/v1/admin/instruments/{symbol}/halt", new { })).ToString();
                await admin.Post($"api/v1/admin/instruments/{symbol}/resume", new { });
            }
            if (i == operations / 2) await admin.Post("api/v1/admin/instruments/ETHUSD/halt", new { }); // ends halted: a status the book must show
        }
    }
}
