using System.Text.Json;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Operations;

/// <summary>/debug/latency and /debug/orderbook/{symbol} of a real server.</summary>
public sealed class DebugEndpointsTests
{
    [Fact]
    public async Task Latency_reports_percentiles_per_stage_since_start_and_for_the_last_interval()
    {
        await using var s = await MetricsServerFixture.StartAsync();
        for (int i = 0; i < 10; i++) Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "49000", "0.1")).Status);

        await s.ScrapeUntilAsync(m => m.Sum("hft_order_latency_seconds_count") >= 10); // recorded as the outbox releases them
        var (status, first) = await s.SendAsync(HttpMethod.Get, "/debug/latency", null);
        Assert.Equal(200, status);
        Assert.Equal("microseconds", first.GetProperty("unit").GetString());
        Assert.Equal(1.0, first.GetProperty("sampleRate").GetDouble());
        var stages = first.GetProperty("sinceStart").GetProperty("stages");
        foreach (var stage in new[] { "parse", "queue", "risk", "match", "settle", "journal", "order" })
        {
            var st = stages.GetProperty(stage);
            Assert.Equal(10, st.GetProperty("count").GetInt64());
            double p50 = st.GetProperty("p50").GetDouble(), p90 = st.GetProperty("p90").GetDouble(), p99 = st.GetProperty("p99").GetDouble();
            double p999 = st.GetProperty("p999").GetDouble(), max = st.GetProperty("max").GetDouble();
            Assert.True(p50 > 0, $"{stage} p50 {p50}");
            Assert.True(p50 <= p90 && p90 <= p99 && p99 <= p999 && p999 <= max, $"{stage}: {p50} {p90} {p99} {p999} {max}");
            Assert.True(st.GetProperty("mean").GetDouble() > 0);
        }
        // the first interval is everything so far
        Assert.Equal(10, first.GetProperty("lastInterval").GetProperty("stages").GetProperty("order").GetProperty("count").GetInt64());
        Assert.True(first.GetProperty("sinceStart").GetProperty("seconds").GetDouble() > 0);

        Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "49000", "0.1")).Status);
        await s.ScrapeUntilAsync(m => m.Sum("hft_order_latency_seconds_count") >= 11);
        var (_, second) = await s.SendAsync(HttpMethod.Get, "/debug/latency", null);
        Assert.Equal(11, second.GetProperty("sinceStart").GetProperty("stages").GetProperty("order").GetProperty("count").GetInt64());
        Assert.Equal(1, second.GetProperty("lastInterval").GetProperty("stages").GetProperty("order").GetProperty("count").GetInt64());

        var (_, third) = await s.SendAsync(HttpMethod.Get, "/debug/latency", null);
        var idle = third.GetProperty("lastInterval").GetProperty("stages").GetProperty("order");
        Assert.Equal(0, idle.GetProperty("count").GetInt64());
        Assert.Equal(0, idle.GetProperty("p99").GetDouble());
    }

    [Fact]
    public async Task Orderbook_gives_levels_and_with_level_3_every_order()
    {
        await using var s = await MetricsServerFixture.StartAsync();
        Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "49000", "0.1")).Status);
        Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA2, "BTCUSD", "buy", "49000", "0.2")).Status);
        Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA2, "BTCUSD", "buy", "48000", "1")).Status);
        Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA2, "BTCUSD", "sell", "51000", "0.5")).Status);

        var (status, l2) = await s.SendAsync(HttpMethod.Get, "/debug/orderbook/BTCUSD", null);
        Assert.Equal(200, status);
        Assert.Equal("BTCUSD", l2.GetProperty("symbol").GetString());
        Assert.False(l2.GetProperty("halted").GetBoolean());
        var bids = l2.GetProperty("bids").EnumerateArray().Select(Level).ToList();
        Assert.Equal([("49000", "0.3", 2), ("48000", "1", 1)], bids);
        Assert.Equal([("51000", "0.5", 1)], l2.GetProperty("asks").EnumerateArray().Select(Level).ToList());
        Assert.Equal(JsonValueKind.Null, l2.GetProperty("bidOrders").ValueKind);

        var (_, l3) = await s.SendAsync(HttpMethod.Get, "/debug/orderbook/BTCUSD?level=3", MetricsServerFixture.OpsToken);
        var orders = l3.GetProperty("bidOrders").EnumerateArray()
            .Select(o => (o.GetProperty("account").GetString(), o.GetProperty("price").GetString(), o.GetProperty("qty").GetString())).ToList();
        Assert.Equal([("A1", "49000", "0.1"), ("A2", "49000", "0.2"), ("A2", "48000", "1")], orders);
        Assert.Single(l3.GetProperty("askOrders").EnumerateArray());

        var (_, top) = await s.SendAsync(HttpMethod.Get, "/debug/orderbook/BTCUSD?depth=1", null);
        Assert.Single(top.GetProperty("bids").EnumerateArray());

        var (missing, error) = await s.SendAsync(HttpMethod.Get, "/debug/orderbook/NOPE", null);
        Assert.Equal(404, missing);
        Assert.Equal("unknown_symbol", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(400, (await s.SendAsync(HttpMethod.Get, "/debug/orderbook/BTCUSD?level=4", null)).Status);

        // The owners of orders are an operator's: refused to an anonymous caller and to a trader's token.
        var (anonymous, refusal) = await s.SendAsync(HttpMethod.Get, "/debug/orderbook/BTCUSD?level=3", null);
        Assert.Equal((401, "unauthorized"), (anonymous, refusal.GetProperty("error").GetProperty("code").GetString()));
        Assert.Equal(403, (await s.SendAsync(HttpMethod.Get, "/debug/orderbook/BTCUSD?level=3", s.TokenA1)).Status);
    }

    private static (string?, string?, int) Level(JsonElement level)
        => (level[0].GetString(), level[1].GetString(), level[2].GetInt32());
}
