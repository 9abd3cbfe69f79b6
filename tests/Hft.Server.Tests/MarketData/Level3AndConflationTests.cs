using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Hft.Auth;
using Hft.Server.Auth;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.MarketData;

/// <summary>The order-by-order <c>level3</c> channel and level2 conflation against a real server.</summary>
public sealed class Level3AndConflationTests
{
    // normalized (no trailing zeros), so sums and parsed values print alike
    private static decimal D(JsonElement e) => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture) / 1.000000000000000000000000000000000m;

    private static bool Is(JsonElement m, string channel) => WsClient.Str(m, "op") is null && WsClient.Str(m, "channel") == channel;

    /// <summary>An aggregated book text from /debug/orderbook (levels [price, qty, count]).</summary>
    private static string BookText(JsonElement body)
    {
        string Side(JsonElement levels, string tag) => string.Join(" ", levels.EnumerateArray().Select(l => $"{tag}{D(l[0])}:{D(l[1])}x{l[2].GetInt32()}"));
        return Side(body.GetProperty("bids"), "b") + " | " + Side(body.GetProperty("asks"), "a");
    }

    private static async Task Flow(HttpClient a1, HttpClient a2, int n)
    {
        var ids = new List<long>();
        for (int i = 0; i < n; i++)
        {
            var buy = i % 2 == 0;
            var price = buy ? 49000 - (i % 13) * 5 : 49010 + (i % 11) * 5;
            var r = await (buy ? a1 : a2).Place(Rest.Limit(buy ? "buy" : "sell", price.ToString(CultureInfo.InvariantCulture), "0.01"));
            r.AssertStatus(HttpStatusCode.Created);
            ids.Add(r.Id);
            if (i % 7 == 6) (await (buy ? a1 : a2).Delete($"api/v1/orders/{ids[^3]}")).Status.ToString(); // cancels (some already gone)
            if (i % 10 == 9) await a2.Place(Rest.Limit("sell", "48990", "0.015", tif: "ioc")); // takes from the best bids
            if (i % 15 == 14) await a1.Patch($"api/v1/orders/{ids[^1]}", new { price = "48950", qty = "0.005" });
        }
    }

    [Fact]
    public async Task Level3_is_for_entitled_accounts_and_rebuilds_the_book_order_by_order()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        var a1 = s.Client("A1");
        var a2 = s.Client("A2");
        await a1.Place(Rest.Limit("buy", "48000", "0.3"));
        await a2.Place(Rest.Limit("sell", "51000", "0.2"));

        // A2 is not entitled; A1 is (market_data_level3 = true in the development profile); an admin always is
        await using var denied = await WsClient.ConnectAsync(s.BaseAddress, bearer: s.Token("A2"));
        await denied.SendAsync(new { op = "subscribe", channel = "level3", symbol = "BTCUSD" });
        var error = (await denied.NextAsync()).GetProperty("error");
        Assert.Equal("forbidden", WsClient.Str(error, "code"));
        Assert.Contains("market_data_level3", WsClient.Str(error, "message"));

        await using var admin = await WsClient.ConnectAsync(s.BaseAddress, bearer: s.Token("ADMIN", Roles.Admin));
        await admin.SendAsync(new { op = "subscribe", channel = "level3", symbol = "BTCUSD" });
        Assert.Equal("subscribed", WsClient.Str(await admin.NextAsync(), "op"));

        await using var ws = await WsClient.ConnectAsync(s.BaseAddress, bearer: s.Token("A1"));
        await ws.SendAsync(new { op = "subscribe", channel = "level3", symbol = "BTCUSD" });
        Assert.Equal("subscribed", WsClient.Str(await ws.NextAsync(), "op"));
        var snapshot = await ws.NextAsync(m => Is(m, "level3"));
        Assert.Equal("snapshot", WsClient.Str(snapshot, "type"));
        var orders = new Dictionary<long, (string Side, decimal Price, decimal Qty)>();
        foreach (var o in snapshot.GetProperty("orders").EnumerateArray())
            orders[o.GetProperty("orderId").GetInt64()] = (WsClient.Str(o, "side")!, D(o.GetProperty("price")), D(o.GetProperty("qty")));
        Assert.Equal(2, orders.Count);
        long seq = snapshot.GetProperty("seq").GetInt64();

        await Flow(a1, a2, 60);

        string Aggregate() => string.Join(" ", orders.Values.Where(o => o.Side == "buy").GroupBy(o => o.Price).OrderByDescending(g => g.Key)
                .Select(g => $"b{g.Key}:{g.Sum(o => o.Qty) / 1.000000000000000000000000000000000m}x{g.Count()}"))
            + " | " + string.Join(" ", orders.Values.Where(o => o.Side == "sell").GroupBy(o => o.Price).OrderBy(g => g.Key)
                .Select(g => $"a{g.Key}:{g.Sum(o => o.Qty) / 1.000000000000000000000000000000000m}x{g.Count()}"));
        var expected = BookText((await s.Anonymous.Get("debug/orderbook/BTCUSD?depth=1000")).Body);
        var deadline = Stopwatch.StartNew();
        string[] actions = ["add", "modify", "delete"];
        while (Aggregate() != expected)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"level3 {Aggregate()} != {expected}");
            JsonElement update;
            try
            {
                update = await ws.NextAsync(m => Is(m, "level3"), 5);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"level3 {Aggregate()} != {expected}");
                throw;
            }
            Assert.Equal("update", WsClient.Str(update, "type"));
            Assert.Equal(seq, update.GetProperty("prevSeq").GetInt64());
            Assert.Equal(++seq, update.GetProperty("seq").GetInt64());
            foreach (var c in update.GetProperty("changes").EnumerateArray())
            {
                long id = c.GetProperty("orderId").GetInt64();
                string action = WsClient.Str(c, "action")!;
                Assert.Contains(action, actions);
                if (action == "delete") Assert.True(orders.Remove(id), $"delete of unknown order {id}");
                else
                {
                    Assert.Equal(action == "add", !orders.ContainsKey(id));
                    orders[id] = (WsClient.Str(c, "side")!, D(c.GetProperty("price")), D(c.GetProperty("qty")));
                }
            }
        }
        // the order ids are the venue's: the open orders of both accounts
        var open = new HashSet<long>();
        foreach (var client in new[] { a1, a2 })
            foreach (var o in (await client.Get("api/v1/orders?status=open&limit=1000")).Body.EnumerateArray()) open.Add(o.GetProperty("id").GetInt64());
        Assert.True(open.SetEquals(orders.Keys), $"level3 ids {string.Join(",", orders.Keys.Order())} != open {string.Join(",", open.Order())}");
    }

    [Fact]
    public async Task Conflated_level2_sends_fewer_messages_with_chained_sequence_numbers_and_the_same_final_book()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        var a1 = s.Client("A1");
        var a2 = s.Client("A2");
        await using var plain = await WsClient.ConnectAsync(s.BaseAddress);
        await using var conflated = await WsClient.ConnectAsync(s.BaseAddress);
        await plain.SendAsync(new { op = "subscribe", channel = "level2", symbol = "BTCUSD" });
        await conflated.SendAsync(new { op = "subscribe", channel = "level2", symbol = "BTCUSD", conflate_ms = 250 });
        var ack = await conflated.NextAsync();
        Assert.Equal(250, ack.GetProperty("conflate_ms").GetInt32());

        await Flow(a1, a2, 80);
        var expected = BookText((await s.Anonymous.Get("debug/orderbook/BTCUSD?depth=1000")).Body);

        async Task<(string Book, int Updates)> Rebuild(WsClient ws)
        {
            var bids = new SortedDictionary<decimal, (decimal, int)>();
            var asks = new SortedDictionary<decimal, (decimal, int)>();
            long last = -1;
            int updates = 0;
            string Text() => string.Join(" ", bids.Reverse().Select(b => $"b{b.Key}:{b.Value.Item1}x{b.Value.Item2}"))
                + " | " + string.Join(" ", asks.Select(a => $"a{a.Key}:{a.Value.Item1}x{a.Value.Item2}"));
            void Apply(JsonElement m)
            {
                foreach (var (side, name) in new[] { (bids, "bids"), (asks, "asks") })
                    foreach (var l in m.GetProperty(name).EnumerateArray())
                    {
                        if (D(l[1]) == 0) side.Remove(D(l[0]));
                        else side[D(l[0])] = (D(l[1]), l[2].GetInt32());
                    }
            }
            var deadline = Stopwatch.StartNew();
            while (last < 0 || Text() != expected)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"{Text()} != {expected}");
                var m = await ws.NextAsync(x => Is(x, "level2"));
                if (WsClient.Str(m, "type") == "snapshot")
                {
                    bids.Clear();
                    asks.Clear();
                }
                else
                {
                    // gap detection: each update names the seq of the message before it
                    Assert.Equal(last, m.GetProperty("prevSeq").GetInt64());
                    Assert.True(m.GetProperty("seq").GetInt64() > last);
                    updates++;
                }
                last = m.GetProperty("seq").GetInt64();
                Apply(m);
            }
            return (Text(), updates);
        }
        var (plainBook, plainUpdates) = await Rebuild(plain);
        var (conflatedBook, conflatedUpdates) = await Rebuild(conflated);
        Assert.Equal(expected, plainBook);
        Assert.Equal(expected, conflatedBook);
        Assert.True(conflatedUpdates < plainUpdates, $"conflated {conflatedUpdates} updates, plain {plainUpdates}");
    }
}
