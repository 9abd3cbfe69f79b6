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
        var snapshot = await ws.NextAsync(m => Is(m, "level2", "snapshot"));
        Assert.Equal([(49000m, 0.2m, 1)], Levels(snapshot, "bids"));
        await conflated.NextAsync(m => Is(m, "level2", "snapshot"));

        // the bid moves to 50010, crosses the ask and fills at once: 50010 never rested on the bid side
        (await a1.Patch($"api/v1/orders/{bid.Id}", new { price = "50010", qty = "0.2" })).AssertStatus(HttpStatusCode.OK);
        var update = await ws.NextAsync(m => Is(m, "level2", "update"));
        Assert.Equal(snapshot.GetProperty("seq").GetInt64() + 1, update.GetProperty("seq").GetInt64());
        Assert.Equal([(49000m, 0m, 0)], Levels(update, "bids"));
        Assert.Equal([(50010m, 0.1m, 1)], Levels(update, "asks"));
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
}
