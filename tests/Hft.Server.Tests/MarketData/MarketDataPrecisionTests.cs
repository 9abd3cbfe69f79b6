using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.MarketData;

/// <summary>What an outside consumer of <c>/ws</c> relies on: trade ids it can match to REST, no level it never saw deleted.</summary>
public sealed class MarketDataPrecisionTests
{
    private static decimal D(JsonElement e) => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    private static bool Is(JsonElement m, string channel, string? type = null)
        => WsClient.Str(m, "op") is null && WsClient.Str(m, "channel") == channel && (type is null || WsClient.Str(m, "type") == type);

    private static List<(decimal Price, decimal Qty, int Count)> Levels(JsonElement m, string side)
        => m.GetProperty(side).EnumerateArray().Select(l => (D(l[0]), D(l[1]), l[2].GetInt32())).ToList();

    [Fact]
    public async Task Channel_trades_carry_the_ids_of_the_rest_trades()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        await using var ws = await WsClient.ConnectAsync(s.BaseAddress);
        await ws.SendAsync(new { op = "subscribe", channel = "trades", symbol = "BTCUSD" });
        Assert.Equal("subscribed", WsClient.Str(await ws.NextAsync(), "op"));
        var a1 = s.Client("A1");
        var a2 = s.Client("A2");
        await a1.Place(Rest.Limit("buy", "49500", "0.1"));
        await a1.Place(Rest.Limit("buy", "49490", "0.2"));
        (await a2.Place(Rest.Limit("sell", "49480", "0.25"))).AssertStatus(HttpStatusCode.Created); // two trades in one command
        (await a2.Place(Rest.Limit("sell", "49490", "0.05"))).AssertStatus(HttpStatusCode.Created);

        var channel = new List<(long Id, decimal Price, decimal Qty)>();
        for (int i = 0; i < 3; i++)
        {
            var t = await ws.NextAsync(m => Is(m, "trades"));
            channel.Add((t.GetProperty("tradeId").GetInt64(), D(t.GetProperty("price")), D(t.GetProperty("qty"))));
        }
        var rest = (await s.Anonymous.Get("api/v1/trades/BTCUSD?limit=10")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray()
            .Select(t => (t.GetProperty("tradeId").GetInt64(), D(t.GetProperty("price")), D(t.GetProperty("qty")))).Reverse().ToList();
        Assert.Equal(rest, channel);
        Assert.Equal([(49500m, 0.1m), (49490m, 0.15m), (49490m, 0.05m)], channel.Select(t => (t.Price, t.Qty)));
        Assert.Equal(3, channel.Select(t => t.Id).Distinct().Count());
        var own = (await a2.Get("api/v1/trades?limit=10")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray()
            .Select(t => t.GetProperty("tradeId").GetInt64()).Order().ToList();
        Assert.Equal(channel.Select(t => t.Id).Order(), own);
    }

    [Fact]
    public async Task A_replace_that_crosses_and_fills_completely_publishes_no_level_it_never_showed()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        var a1 = s.Client("A1");
        var a2 = s.Client("A2");
        await a2.Place(Rest.Limit("sell", "50010", "0.3"));
        var bid = await a1.Place(Rest.Limit("buy", "49000", "0.2"));

        await using var ws = await WsClient.ConnectAsync(s.BaseAddress);
        await ws.SendAsync(new { op = "subscribe", channel = "level2", symbol = "BTCUSD" });
        await using var conflated = await WsClient.ConnectAsync(s.BaseAddress);
        await conflated.SendAsync(new { op = "subscribe", channel = "level2", symbol = "BTCUSD", conflate_ms = 100 });
        await using var orders = await WsClient.ConnectAsync(s.BaseAddress, bearer: s.Token("ADMIN", Hft.Auth.Roles.Admin));
        await orders.SendAsync(new { op = "subscribe", channel = "level3", symbol = "BTCUSD" });
        await orders.NextAsync(m => Is(m, "level3", "snapshot"));
        var snapshot = await ws.NextAsync(m => Is(m, "level2", "snapshot"));
        Assert.Equal([(49000m, 0.2m, 1)], Levels(snapshot, "bids"));
        await conflated.NextAsync(m => Is(m, "level2", "snapshot"));

        // the bid moves to 50010, crosses the ask and fills at once: 50010 never rested on the bid side
        (await a1.Patch($"api/v1/orders/{bid.Id}", new { price = "50010", qty = "0.2" })).AssertStatus(HttpStatusCode.OK);
        var update = await ws.NextAsync(m => Is(m, "level2", "update"));
        Assert.Equal(snapshot.GetProperty("seq").GetInt64() + 1, update.GetProperty("seq").GetInt64());
        Assert.Equal([(49000m, 0m, 0)], Levels(update, "bids"));
        Assert.Equal([(50010m, 0.1m, 1)], Levels(update, "asks"));
        // level3: the bid leaves from where it rested, never shown at the price it crossed to
        var level3 = await orders.NextAsync(m => Is(m, "level3", "update"));
        var changes = level3.GetProperty("changes").EnumerateArray()
            .Select(c => (WsClient.Str(c, "action"), c.GetProperty("orderId").GetInt64(), D(c.GetProperty("price")), D(c.GetProperty("qty")))).ToList();
        Assert.Contains(("delete", bid.Id, 49000m, 0m), changes);
        Assert.Single(changes, c => c.Item2 == bid.Id);
        Assert.Contains(changes, c => c.Item1 == "modify" && c.Item3 == 50010m && c.Item4 == 0.1m);
        var batched = await conflated.NextAsync(m => Is(m, "level2", "update"));
        Assert.Equal([(49000m, 0m, 0)], Levels(batched, "bids"));
        Assert.Equal([(50010m, 0.1m, 1)], Levels(batched, "asks"));

        // a buy that rests and is taken before a conflated message leaves shows nothing of its level to that subscriber
        var deadline = Stopwatch.StartNew();
        await a1.Place(Rest.Limit("buy", "48000", "0.1"));
        await a2.Place(Rest.Limit("sell", "48000", "0.1", tif: "ioc"));
        await a1.Place(Rest.Limit("buy", "47000", "0.1"));
        var seen = new List<(decimal, decimal, int)>();
        while (!seen.Contains((47000m, 0.1m, 1)))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "the 47000 bid never reached the conflated subscriber");
            var m = await conflated.NextAsync(m => Is(m, "level2", "update"));
            seen.AddRange(Levels(m, "bids"));
        }
        // unconflated: the 48000 level appeared and went (it was shown); conflated: either both or none
        Assert.True(!seen.Contains((48000m, 0m, 0)) || seen.Contains((48000m, 0.1m, 1)), string.Join(" ", seen));
    }

    [Fact]
    public async Task The_ticker_shows_a_rolling_24_hour_window_on_rest_and_websocket()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 8, 0, 30, TimeSpan.Zero));
        await using var s = await ApiServerFixture.StartAsync(c => c, new Hft.Server.MarketData.MarketDataOptions { Clock = clock });
        var a1 = s.Client("A1");
        var a2 = s.Client("A2");

        async Task<JsonElement> RestTickerWhen(Func<JsonElement, bool> done)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var t = (await s.Anonymous.Get("api/v1/ticker/BTCUSD")).AssertStatus(HttpStatusCode.OK).Body;
                if (done(t)) return t;
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"the REST ticker never got there: {t}");
                await Task.Delay(50); // the publisher takes the trades once durable
            }
        }
        string? Text(JsonElement t, string name) => t.GetProperty(name).ValueKind == JsonValueKind.Null ? null : t.GetProperty(name).GetString();
        (string?, string?, string?, string?) Day(JsonElement t) => (Text(t, "volume24h"), Text(t, "open24h"), Text(t, "high24h"), Text(t, "low24h"));

        Assert.Equal(("0", null, null, null), Day(await RestTickerWhen(_ => true)));
        await a1.Place(Rest.Limit("buy", "49500", "0.2"));
        await a2.Place(Rest.Limit("sell", "49500", "0.2")); // 08:00:30
        await a1.Place(Rest.Limit("buy", "49400", "0.1"));
        await a2.Place(Rest.Limit("sell", "49400", "0.1"));
        var first = await RestTickerWhen(t => Text(t, "volume24h") == "0.3");
        Assert.Equal(("0.3", "49500", "49500", "49400"), Day(first));

        clock.Advance(TimeSpan.FromHours(12)); // 20:00:30
        await a1.Place(Rest.Limit("buy", "50100", "0.05"));
        await a2.Place(Rest.Limit("sell", "50100", "0.05"));
        Assert.Equal(("0.35", "49500", "50100", "49400"), Day(await RestTickerWhen(t => Text(t, "volume24h") == "0.35")));

        await using var ws = await WsClient.ConnectAsync(s.BaseAddress);
        await ws.SendAsync(new { op = "subscribe", channel = "ticker", symbol = "BTCUSD" });
        Assert.Equal(("0.35", "49500", "50100", "49400"), Day(await ws.NextAsync(m => Is(m, "ticker"))));

        clock.Advance(TimeSpan.FromHours(12)); // 08:00:30 the next day: the minute 08:00 of the first day has left the window
        Assert.Equal(("0.05", "50100", "50100", "50100"), Day(await RestTickerWhen(t => Text(t, "volume24h") == "0.05")));
        await a1.Place(Rest.Limit("buy", "50000", "0.01"));
        await a2.Place(Rest.Limit("sell", "50000", "0.01"));
        Assert.Equal(("0.06", "50100", "50100", "50000"), Day(await ws.NextAsync(m => Is(m, "ticker") && Text(m, "volume24h") == "0.06")));

        clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal(("0", null, null, null), Day(await RestTickerWhen(t => Text(t, "volume24h") == "0")));
    }
}
