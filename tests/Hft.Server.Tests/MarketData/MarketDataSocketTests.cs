using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Hft.Auth;
using Hft.Server.Auth;
using Hft.Server.MarketData;
using Hft.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Server.Tests.MarketData;

/// <summary>The public WebSocket feed (<c>/ws</c>) against a real server: REST orders in, market data out.</summary>
public sealed class MarketDataSocketTests
{
    private static decimal D(JsonElement e) => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    private static bool Is(JsonElement m, string channel, string? type = null)
        => WsClient.Str(m, "op") is null && WsClient.Str(m, "channel") == channel && (type is null || WsClient.Str(m, "type") == type);

    /// <summary>price → (qty, count) per side, from level arrays [price, qty, count].</summary>
    private sealed class L2
    {
        public SortedDictionary<decimal, (decimal Qty, int Count)> Bids { get; } = new();
        public SortedDictionary<decimal, (decimal Qty, int Count)> Asks { get; } = new();

        public void Apply(JsonElement m)
        {
            Set(Bids, m.GetProperty("bids"));
            Set(Asks, m.GetProperty("asks"));
        }

        private static void Set(SortedDictionary<decimal, (decimal, int)> side, JsonElement levels)
        {
            foreach (var l in levels.EnumerateArray())
            {
                decimal price = D(l[0]), qty = D(l[1]);
                if (qty == 0) side.Remove(price);
                else side[price] = (qty, l[2].GetInt32());
            }
        }

        public string Text() => string.Join(" ", Bids.Reverse().Select(b => $"b{b.Key}:{b.Value.Qty}x{b.Value.Count}"))
            + " | " + string.Join(" ", Asks.Select(a => $"a{a.Key}:{a.Value.Qty}x{a.Value.Count}"));
    }

    [Fact]
    public async Task Level2_snapshot_plus_consecutive_updates_rebuild_the_rest_book()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        var a1 = s.Client("A1");
        var a2 = s.Client("A2");
        await a1.Place(Rest.Limit("buy", "49000", "0.5"));
        await a1.Place(Rest.Limit("buy", "49000", "0.25"));
        var low = await a1.Place(Rest.Limit("buy", "48990", "1"));
        await a2.Place(Rest.Limit("sell", "50010", "0.3"));

        await using var ws = await WsClient.ConnectAsync(s.BaseAddress);
        await ws.SendAsync(new { op = "subscribe", channel = "level2", symbol = "BTCUSD" });
        var ack = await ws.NextAsync();
        Assert.Equal("subscribed", WsClient.Str(ack, "op"));
        var snapshot = await ws.NextAsync(m => Is(m, "level2", "snapshot"));
        var book = new L2();
        book.Apply(snapshot);
        Assert.Equal("b49000:0.75x2 b48990:1x1 | a50010:0.3x1", book.Text());
        long seq = snapshot.GetProperty("seq").GetInt64();

        // rests, cancels, partial and full fills across levels, a replace, an IOC that leaves nothing, a rest after crossing
        var extra = await a1.Place(Rest.Limit("buy", "48980", "2"));
        (await a1.Delete($"api/v1/orders/{low.Id}")).AssertStatus(HttpStatusCode.OK);
        await a2.Place(Rest.Limit("sell", "49000", "0.6"));
        (await a1.Patch($"api/v1/orders/{extra.Id}", new { price = "48985", qty = "1.5" })).AssertStatus(HttpStatusCode.OK);
        await a2.Place(Rest.Limit("sell", "48900", "0.4", tif: "ioc"));
        await a1.Place(Rest.Limit("buy", "50020", "0.5"));
        await a2.Place(Rest.Limit("sell", "50030", "0.7"));

        var rest = await s.Anonymous.Get("api/v1/book/BTCUSD?depth=1000");
        var expected = new L2();
        expected.Apply(rest.Body);
        var deadline = Stopwatch.StartNew();
        while (book.Text() != expected.Text())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"book {book.Text()} != rest {expected.Text()}");
            var update = await ws.NextAsync(m => Is(m, "level2"));
            Assert.Equal("update", WsClient.Str(update, "type"));
            Assert.Equal(++seq, update.GetProperty("seq").GetInt64());
            book.Apply(update);
        }
        Assert.Equal(expected.Text(), book.Text());
        var debug = new L2();
        debug.Apply((await s.Anonymous.Get("debug/orderbook/BTCUSD?depth=1000")).Body);
        Assert.Equal(debug.Text(), book.Text());

        // a second subscriber's snapshot carries the current seq and the same book
        await using var late = await WsClient.ConnectAsync(s.BaseAddress);
        await late.SendAsync(new { op = "subscribe", channel = "level2", symbol = "BTCUSD" });
        var snap2 = await late.NextAsync(m => Is(m, "level2", "snapshot"));
        var book2 = new L2();
        book2.Apply(snap2);
        Assert.Equal(expected.Text(), book2.Text());
        Assert.Equal(seq, snap2.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Trades_and_ticker_follow_the_matching()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        await using var ws = await WsClient.ConnectAsync(s.BaseAddress);
        await ws.SendAsync(new { op = "subscribe", channel = "trades", symbol = "BTCUSD" });
        await ws.SendAsync(new { op = "subscribe", channel = "ticker", symbol = "BTCUSD" });
        var first = await ws.NextAsync(m => Is(m, "ticker"));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("last").ValueKind);
        Assert.Equal(0m, D(first.GetProperty("volume24h")));

        await s.Client("A1").Place(Rest.Limit("buy", "49500", "0.5"));
        await s.Client("A2").Place(Rest.Limit("sell", "49500", "0.2"));
        await s.Client("A2").Place(Rest.Limit("sell", "49400", "0.1"));

        var t1 = await ws.NextAsync(m => Is(m, "trades"));
        Assert.Equal(("BTCUSD", 49500m, 0.2m, "sell", 1L),
            (WsClient.Str(t1, "symbol"), D(t1.GetProperty("price")), D(t1.GetProperty("qty")), WsClient.Str(t1, "takerSide"), t1.GetProperty("seq").GetInt64()));
        var t2 = await ws.NextAsync(m => Is(m, "trades"));
        Assert.Equal((49500m, 0.1m, 2L), (D(t2.GetProperty("price")), D(t2.GetProperty("qty")), t2.GetProperty("seq").GetInt64()));

        var ticker = await ws.NextAsync(m => Is(m, "ticker") && m.GetProperty("volume24h").GetString() is { } v && decimal.Parse(v, CultureInfo.InvariantCulture) == 0.3m);
        Assert.Equal(49500m, D(ticker.GetProperty("last")));
        Assert.Equal((49500m, 0.2m), (D(ticker.GetProperty("bid")), D(ticker.GetProperty("bidQty"))));
        Assert.Equal(JsonValueKind.Null, ticker.GetProperty("ask").ValueKind);
    }

    [Fact]
    public async Task Status_channel_announces_halt_and_resume()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        await using var ws = await WsClient.ConnectAsync(s.BaseAddress);
        await ws.SendAsync(new { op = "subscribe", channel = "status", symbol = "BTCUSD" });
        Assert.Equal("trading", WsClient.Str(await ws.NextAsync(m => Is(m, "status")), "status"));
        var admin = s.Client("ADMIN", Roles.Admin);
        (await admin.Post("api/v1/admin/instruments/BTCUSD/halt", new { })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("halted", WsClient.Str(await ws.NextAsync(m => Is(m, "status")), "status"));
        (await admin.Post("api/v1/admin/instruments/BTCUSD/resume", new { })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("trading", WsClient.Str(await ws.NextAsync(m => Is(m, "status")), "status"));

        // unsubscribed: no more status messages, and ping still answers
        await ws.SendAsync(new { op = "unsubscribe", channel = "status", symbol = "BTCUSD" });
        Assert.Equal("unsubscribed", WsClient.Str(await ws.NextAsync(), "op"));
        (await admin.Post("api/v1/admin/instruments/BTCUSD/halt", new { })).AssertStatus(HttpStatusCode.OK);
        await Task.Delay(300);
        await ws.SendAsync(new { op = "ping" });
        Assert.Equal("pong", WsClient.Str(await ws.NextAsync(), "op"));
    }

    [Fact]
    public async Task Bad_requests_get_clear_errors_and_heartbeats_arrive()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c, new MarketDataOptions { Heartbeat = TimeSpan.FromMilliseconds(300), MaxMessageBytes = 512 });
        (await s.Anonymous.Get("ws")).AssertError(HttpStatusCode.BadRequest, "websocket_required");
        await using var ws = await WsClient.ConnectAsync(s.BaseAddress);
        async Task<string?> ErrorOf(string raw)
        {
            await ws.SendRawAsync(raw);
            var m = await ws.NextAsync();
            Assert.False(string.IsNullOrWhiteSpace(m.GetProperty("error").GetProperty("message").GetString()));
            return m.GetProperty("error").GetProperty("code").GetString();
        }
        Assert.Equal("bad_json", await ErrorOf("{not json"));
        Assert.Equal("bad_request", await ErrorOf("[1,2]"));
        Assert.Equal("bad_request", await ErrorOf("{\"channel\":\"trades\"}"));
        Assert.Equal("unknown_op", await ErrorOf("{\"op\":\"fly\"}"));
        Assert.Equal("unknown_channel", await ErrorOf("{\"op\":\"subscribe\",\"channel\":\"orders\",\"symbol\":\"BTCUSD\"}"));
        Assert.Equal("unknown_symbol", await ErrorOf("{\"op\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"DOGEUSD\"}"));
        Assert.Equal("unknown_symbol", await ErrorOf("{\"op\":\"subscribe\",\"channel\":\"trades\"}"));
        Assert.Equal("not_subscribed", await ErrorOf("{\"op\":\"unsubscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\"}"));
        Assert.Equal("message_too_large", await ErrorOf("{\"op\":\"ping\",\"pad\":\"" + new string('x', 2000) + "\"}"));
        // still usable after errors
        await ws.SendAsync(new { op = "ping" });
        Assert.Equal("pong", WsClient.Str(await ws.NextAsync(), "op"));
        var beat = await ws.NextAsync(m => WsClient.Str(m, "op") == "heartbeat", 5);
        Assert.NotNull(WsClient.Str(beat, "time"));
    }

    [Fact]
    public async Task A_client_that_never_reads_is_resynced_then_disconnected_while_matching_goes_on()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c, new MarketDataOptions { SendQueueLimit = 50, MaxOverflows = 3 });
        var a1 = s.Client("A1");
        // a deep book makes each level2 snapshot large (~10 KB), so the socket buffers fill quickly
        var places = Enumerable.Range(0, 300).Select(i => a1.Place(Rest.Limit("buy", (45000 + i).ToString(CultureInfo.InvariantCulture), "0.001")));
        foreach (var r in await Task.WhenAll(places)) r.AssertStatus(HttpStatusCode.Created);

        var publisher = s.Server.Services.GetRequiredService<MarketDataPublisher>();
        await using var slow = await WsClient.ConnectAsync(s.BaseAddress, read: false);
        await using var reader = await WsClient.ConnectAsync(s.BaseAddress);
        await reader.SendAsync(new { op = "subscribe", channel = "trades", symbol = "BTCUSD" });
        Assert.Equal("subscribed", WsClient.Str(await reader.NextAsync(), "op"));

        var subscribe = JsonSerializer.Serialize(new { op = "subscribe", channel = "level2", symbol = "BTCUSD" });
        var timer = Stopwatch.StartNew();
        for (int i = 0; i < 5000 && publisher.OverflowNotices < 3 && timer.Elapsed < TimeSpan.FromSeconds(20); i++)
        {
            try
            {
                await slow.SendRawAsync(subscribe);
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                break; // disconnected
            }
        }
        for (int i = 0; i < 200 && publisher.OverflowNotices < 1; i++) await Task.Delay(50); // the publisher may still be catching up
        Assert.True(publisher.OverflowNotices >= 1, "the slow consumer never overflowed its send queue");

        // matching is not held up: an order is accepted and other subscribers are served while the slow client still
        // reads nothing (were matching waiting on its socket, this order could only complete after it starts reading
        // below). No wall-clock bound: under a flood on a busy 2-core machine any fixed one is a coin toss.
        var maker = await s.Client("A2").Place(Rest.Limit("sell", "45299", "0.001"));
        maker.AssertStatus(HttpStatusCode.Created);
        var trade = await reader.NextAsync(m => Is(m, "trades"));
        Assert.Equal(45299m, D(trade.GetProperty("price")));

        // the slow client, once it reads, finds the resync notice (or it was disconnected after repeated overflows)
        slow.StartReading();
        try
        {
            var notice = await slow.NextAsync(m => WsClient.Str(m, "type") == "resync", 20);
            Assert.Equal("slow_consumer", WsClient.Str(notice, "reason"));
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            Assert.True(publisher.OverflowNotices >= 3, "closed without repeated overflows");
        }
    }

    [Fact]
    public async Task A_publisher_that_falls_behind_sends_resync_and_a_fresh_snapshot()
    {
        // a tiny event queue: bursts overflow it, the dropped commands are never guessed, the book is reseeded instead
        await using var s = await ApiServerFixture.StartAsync(c => c, new MarketDataOptions { EventQueueCapacity = 3 });
        await using var ws = await WsClient.ConnectAsync(s.BaseAddress);
        await ws.SendAsync(new { op = "subscribe", channel = "level2", symbol = "BTCUSD" });
        var book = new L2();
        book.Apply(await ws.NextAsync(m => Is(m, "level2", "snapshot")));
        var a1 = s.Client("A1");
        var a2 = s.Client("A2");
        var burst = Enumerable.Range(0, 400).Select(i => (i % 2 == 0 ? a1 : a2).Place(Rest.Limit(i % 2 == 0 ? "buy" : "sell",
            (i % 2 == 0 ? 49000 - (i % 37) : 49010 + (i % 41)).ToString(CultureInfo.InvariantCulture), "0.001")));
        foreach (var r in await Task.WhenAll(burst)) r.AssertStatus(HttpStatusCode.Created);

        var expected = new L2();
        expected.Apply((await s.Anonymous.Get("api/v1/book/BTCUSD?depth=1000")).Body);
        bool resynced = false;
        long seq = -1;
        var deadline = Stopwatch.StartNew();
        while (book.Text() != expected.Text() || !resynced)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), $"resynced {resynced}, book {book.Text()} != rest {expected.Text()}");
            var m = await ws.NextAsync(m => Is(m, "level2"));
            switch (WsClient.Str(m, "type"))
            {
                case "resync":
                    resynced = true;
                    seq = -1; // wait for the snapshot that follows
                    break;
                case "snapshot":
                    book = new L2();
                    book.Apply(m);
                    seq = m.GetProperty("seq").GetInt64();
                    break;
                case "update" when seq >= 0:
                    Assert.Equal(++seq, m.GetProperty("seq").GetInt64());
                    book.Apply(m);
                    break;
            }
        }
        Assert.Equal(expected.Text(), book.Text());
    }
}
