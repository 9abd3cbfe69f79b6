using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Hft.Auth;
using Hft.Pipeline.State;
using Hft.Server.Auth;
using Hft.Server.MarketData;
using Hft.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Server.Tests.MarketData;

/// <summary>The private <c>user</c> channel of <c>/ws</c> against a real server: REST orders in, each account's own events out.</summary>
public sealed class UserChannelTests
{
    private static decimal D(JsonElement m, string name) => decimal.Parse(m.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private static bool IsUser(JsonElement m) => WsClient.Str(m, "channel") == "user";

    private static Task<JsonElement> NextUser(WsClient ws) => ws.NextAsync(IsUser);

    private static async Task Subscribe(WsClient ws, object message)
    {
        await ws.SendAsync(message);
        var ack = await ws.NextAsync();
        Assert.True(WsClient.Str(ack, "op") == "subscribed", ack.ToString());
    }

    [Fact]
    public async Task Each_account_gets_its_own_order_events_and_positions_and_nothing_of_the_other()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c with { Risk = c.Risk with { MaxOrderQty = "100" } });
        var a1 = s.Client("A1");
        var a2 = s.Client("A2");
        // placed before anyone listens: its later maker fill must still reach A1
        var resting = await a1.Place(Rest.Limit("buy", "49000", "0.5", clientOrderId: "a1-rest"));
        resting.AssertStatus(HttpStatusCode.Created);

        await using var w1 = await WsClient.ConnectAsync(s.BaseAddress, bearer: s.Token("A1")); // token in the header
        await Subscribe(w1, new { op = "subscribe", channel = "user" });
        await using var w2 = await WsClient.ConnectAsync(s.BaseAddress, queryToken: s.Token("A2")); // token in the query
        await Subscribe(w2, new { op = "subscribe", channel = "user" });

        var fresh = await a1.Place(Rest.Limit("buy", "48000", "0.1", clientOrderId: "a1-new"));
        var take = await a2.Place(Rest.Limit("sell", "49000", "0.2", clientOrderId: "a2-take"));
        (await a1.Patch($"api/v1/orders/{resting.Id}", new { price = "48990", qty = "0.25" })).AssertStatus(HttpStatusCode.OK);
        (await a1.Delete($"api/v1/orders/{resting.Id}")).AssertStatus(HttpStatusCode.OK);
        var big = await a1.Place(Rest.Limit("buy", "48000", "1000", clientOrderId: "a1-big")); // over max_order_qty: rejected by risk

        // A1: accepted, maker fill of the order placed earlier, its position, replaced, canceled, rejected
        var accepted = await NextUser(w1);
        Assert.Equal(("order", "accepted", fresh.Id, "a1-new", "BTCUSD", "buy"), (WsClient.Str(accepted, "type"), WsClient.Str(accepted, "event"),
            accepted.GetProperty("orderId").GetInt64(), WsClient.Str(accepted, "clientOrderId"), WsClient.Str(accepted, "symbol"), WsClient.Str(accepted, "side")));
        Assert.Equal((48000m, 0.1m), (D(accepted, "price"), D(accepted, "qty")));

        var makerFill = await NextUser(w1);
        Assert.Equal(("fill", resting.Id, "a1-rest", "maker", "buy", "partially_filled"), (WsClient.Str(makerFill, "event"), makerFill.GetProperty("orderId").GetInt64(),
            WsClient.Str(makerFill, "clientOrderId"), WsClient.Str(makerFill, "liquidity"), WsClient.Str(makerFill, "side"), WsClient.Str(makerFill, "status")));
        Assert.Equal((49000m, 0.2m, 0.3m), (D(makerFill, "price"), D(makerFill, "qty"), D(makerFill, "remaining")));

        var position1 = await NextUser(w1);
        Assert.Equal("position", WsClient.Str(position1, "type"));
        Assert.Equal(("BTCUSD", 0.2m), (WsClient.Str(position1.GetProperty("position"), "symbol"), D(position1.GetProperty("position"), "qty")));
        var restPositions = await a1.Get("api/v1/positions");
        Assert.Equal(restPositions.Body[0].GetProperty("avgPrice").GetString(), position1.GetProperty("position").GetProperty("avgPrice").GetString());

        var replaced = await NextUser(w1);
        Assert.Equal(("replaced", resting.Id, "a1-rest"), (WsClient.Str(replaced, "event"), replaced.GetProperty("orderId").GetInt64(), WsClient.Str(replaced, "clientOrderId")));
        Assert.Equal((48990m, 0.25m), (D(replaced, "price"), D(replaced, "remaining")));

        var canceled = await NextUser(w1);
        Assert.Equal(("canceled", resting.Id), (WsClient.Str(canceled, "event"), canceled.GetProperty("orderId").GetInt64()));
        Assert.Equal(0.25m, D(canceled, "canceledQty"));
        Assert.False(string.IsNullOrEmpty(WsClient.Str(canceled, "reason")));

        var rejected = await NextUser(w1);
        Assert.Equal(("rejected", "a1-big", "new"), (WsClient.Str(rejected, "event"), WsClient.Str(rejected, "clientOrderId"), WsClient.Str(rejected, "op")));
        Assert.False(string.IsNullOrEmpty(WsClient.Str(rejected, "reason")));
        if (big.Body.ValueKind == JsonValueKind.Object && big.Body.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.String)
            Assert.Equal(why.GetString(), WsClient.Str(rejected, "reason"));

        // A2: its taker order accepted, filled in full as taker, its position
        var accepted2 = await NextUser(w2);
        Assert.Equal(("accepted", take.Id, "a2-take", "sell"), (WsClient.Str(accepted2, "event"), accepted2.GetProperty("orderId").GetInt64(),
            WsClient.Str(accepted2, "clientOrderId"), WsClient.Str(accepted2, "side")));
        var takerFill = await NextUser(w2);
        Assert.Equal(("fill", take.Id, "taker", "sell", "filled"), (WsClient.Str(takerFill, "event"), takerFill.GetProperty("orderId").GetInt64(),
            WsClient.Str(takerFill, "liquidity"), WsClient.Str(takerFill, "side"), WsClient.Str(takerFill, "status")));
        Assert.Equal((49000m, 0.2m, 0m), (D(takerFill, "price"), D(takerFill, "qty"), D(takerFill, "remaining")));
        var position2 = await NextUser(w2);
        Assert.Equal(-0.2m, D(position2.GetProperty("position"), "qty"));

        // nothing else arrives, and every message either stream carried was its own account's, with consecutive seq
        var own1 = new HashSet<long> { resting.Id, fresh.Id, rejected.GetProperty("orderId").GetInt64() };
        var all1 = new[] { accepted, makerFill, position1, replaced, canceled, rejected }.Concat((await w1.DrainAsync(0.5)).Where(IsUser)).ToList();
        var all2 = new[] { accepted2, takerFill, position2 }.Concat((await w2.DrainAsync(0.2)).Where(IsUser)).ToList();
        Assert.Equal(6, all1.Count);
        Assert.Equal(3, all2.Count);
        for (int i = 0; i < all1.Count; i++)
        {
            Assert.Equal("A1", WsClient.Str(all1[i], "account"));
            Assert.Equal(i + 1, all1[i].GetProperty("seq").GetInt64());
            if (all1[i].TryGetProperty("orderId", out var id)) Assert.Contains(id.GetInt64(), own1);
        }
        for (int i = 0; i < all2.Count; i++)
        {
            Assert.Equal("A2", WsClient.Str(all2[i], "account"));
            Assert.Equal(i + 1, all2[i].GetProperty("seq").GetInt64());
            if (all2[i].TryGetProperty("orderId", out var id)) Assert.Equal(take.Id, id.GetInt64());
        }
    }

    [Fact]
    public async Task Auth_by_message_admin_may_follow_any_account_and_bad_requests_get_clear_errors()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        await using var ws = await WsClient.ConnectAsync(s.BaseAddress);
        async Task<string?> ErrorOf(object message)
        {
            await ws.SendAsync(message);
            var m = await ws.NextAsync();
            Assert.True(m.TryGetProperty("error", out var e), m.ToString());
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString()));
            return e.GetProperty("code").GetString();
        }
        Assert.Equal("unauthorized", await ErrorOf(new { op = "subscribe", channel = "user" }));
        Assert.Equal("unauthorized", await ErrorOf(new { op = "subscribe", channel = "level3", symbol = "BTCUSD" }));
        Assert.Equal("bad_request", await ErrorOf(new { op = "auth" }));
        Assert.Equal("unauthorized", await ErrorOf(new { op = "auth", token = "not.a.jwt" }));
        Assert.Equal("unauthorized", await ErrorOf(new { op = "auth", token = s.Token("A1", lifetime: TimeSpan.FromMinutes(1), now: DateTime.UtcNow.AddHours(-1)) }));
        Assert.Equal("unauthorized", await ErrorOf(new { op = "auth", token = s.Token("NOBODY") }));
        Assert.Equal("bad_request", await ErrorOf("{\"op\":\"subscribe\",\"channel\":\"level2\",\"symbol\":\"BTCUSD\",\"conflate_ms\":\"fast\"}"));
        Assert.Equal("bad_request", await ErrorOf(new { op = "subscribe", channel = "level2", symbol = "BTCUSD", conflate_ms = 1 }));
        Assert.Equal("bad_request", await ErrorOf(new { op = "subscribe", channel = "trades", symbol = "BTCUSD", conflate_ms = 100 }));

        // a trader: own user channel only, no level3 unless entitled (A2 is not)
        await ws.SendAsync(new { op = "auth", token = s.Token("A2") });
        var ok = await ws.NextAsync();
        Assert.Equal(("authenticated", "A2", "trader"), (WsClient.Str(ok, "op"), WsClient.Str(ok, "account"), WsClient.Str(ok, "role")));
        Assert.Equal("already_authenticated", await ErrorOf(new { op = "auth", token = s.Token("A1") }));
        Assert.Equal("forbidden", await ErrorOf(new { op = "subscribe", channel = "user", account = "A1" }));
        Assert.Equal("forbidden", await ErrorOf(new { op = "subscribe", channel = "level3", symbol = "BTCUSD" }));
        Assert.Equal("not_subscribed", await ErrorOf(new { op = "unsubscribe", channel = "user" }));
        await Subscribe(ws, new { op = "subscribe", channel = "user" });
        Assert.Equal("already_subscribed", await ErrorOf(new { op = "subscribe", channel = "user" }));

        // a bad token at connect is refused before the upgrade
        var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        refused.Options.SetRequestHeader("Authorization", "Bearer garbage");
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(WsClient.Address(s.BaseAddress), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.HttpStatusCode);
        refused.Dispose();

        // an admin follows A1's channel, sees A1's order and not A2's
        await using var admin = await WsClient.ConnectAsync(s.BaseAddress, bearer: s.Token("ADMIN", Roles.Admin));
        await Subscribe(admin, new { op = "subscribe", channel = "user", account = "A1" });
        await admin.SendAsync(new { op = "subscribe", channel = "user", account = "ZZ" });
        Assert.Equal("unknown_account", WsClient.Str((await admin.NextAsync()).GetProperty("error"), "code"));
        await s.Client("A2").Place(Rest.Limit("sell", "51000", "0.1"));
        var a1Order = await s.Client("A1").Place(Rest.Limit("buy", "47000", "0.1"));
        var seen = await NextUser(admin);
        Assert.Equal(("A1", a1Order.Id), (WsClient.Str(seen, "account"), seen.GetProperty("orderId").GetInt64()));
        var a2Seen = await NextUser(ws);
        Assert.Equal("A2", WsClient.Str(a2Seen, "account"));
        Assert.DoesNotContain((await admin.DrainAsync(0.3)).Where(IsUser), m => WsClient.Str(m, "account") != "A1");

        // unsubscribe ends the stream
        await ws.SendAsync(new { op = "unsubscribe", channel = "user" });
        Assert.Equal("unsubscribed", WsClient.Str(await ws.NextAsync(), "op"));
        Assert.Equal(0, s.Server.Services.GetRequiredService<Hft.Pipeline.State.AccountEventHub>().SubscriberCount(s.Pipeline.Accounts.TryGet("A2", out int a2) ? a2 : -1));
    }

    [Fact]
    public async Task A_user_stream_client_that_stops_reading_is_resynced_then_closed_and_matching_goes_on()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c, new MarketDataOptions { SendQueueLimit = 40, MaxOverflows = 3 });
        var a1 = s.Client("A1");
        var a2 = s.Client("A2");
        // a deep book (of A2) makes each level2 snapshot ~10 KB, so the socket buffers of a client that never reads fill quickly
        var places = Enumerable.Range(0, 300).Select(i => a2.Place(Rest.Limit("buy", (45000 + i).ToString(CultureInfo.InvariantCulture), "0.001")));
        foreach (var r in await Task.WhenAll(places)) r.AssertStatus(HttpStatusCode.Created);

        var publisher = s.Server.Services.GetRequiredService<MarketDataPublisher>();
        await using var slow = await WsClient.ConnectAsync(s.BaseAddress, read: false, bearer: s.Token("A1"));
        await slow.SendAsync(new { op = "subscribe", channel = "user" });
        var subscribe = JsonSerializer.Serialize(new { op = "subscribe", channel = "level2", symbol = "BTCUSD" });
        var unsubscribe = JsonSerializer.Serialize(new { op = "unsubscribe", channel = "level2", symbol = "BTCUSD" });
        var timer = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 5000 && publisher.UserResyncs < 2 && timer.Elapsed < TimeSpan.FromSeconds(30); i++)
        {
            try
            {
                await slow.SendRawAsync(i % 2 == 0 ? subscribe : unsubscribe);
                if (i % 50 == 49) (await a1.Place(Rest.Limit("buy", "45000", "0.001"))).AssertStatus(HttpStatusCode.Created);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                break; // closed by the server
            }
        }
        for (int i = 0; i < 200 && publisher.UserResyncs < 1; i++) await Task.Delay(50);
        Assert.True(publisher.UserResyncs >= 1, "the user stream never overflowed");

        // and operators see it: the resyncs and the open connection are Prometheus metrics
        using (var http = new HttpClient { BaseAddress = s.BaseAddress })
        {
            var text = await http.GetStringAsync("/metrics");
            double Metric(string name)
            {
                var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
                Assert.True(line is not null, $"{name} not exported");
                return double.Parse(line![(name.Length + 1)..], CultureInfo.InvariantCulture);
            }
            Assert.True(Metric("hft_ws_user_resyncs_total") >= 1);
            Assert.True(Metric("hft_ws_connections") >= 1);
            Assert.InRange(Metric("hft_ws_max_queued_messages"), 0, 40 + 2);
            Assert.True(Metric("hft_ws_slow_consumer_notices_total") >= 0);
            Assert.Equal(0, Metric("hft_marketdata_dropped_commands_total"));
        }

        // memory stays bounded: no connection holds more than its queue limit (plus notices)
        Assert.True(publisher.MaxQueued() <= 40 + 2, $"a connection queued {publisher.MaxQueued()} messages");

        // matching is not held up
        var sw = System.Diagnostics.Stopwatch.StartNew();
        (await a2.Place(Rest.Limit("sell", "45299", "0.001"))).AssertStatus(HttpStatusCode.Created);
        (await a1.Place(Rest.Limit("sell", "45298", "0.001"))).AssertStatus(HttpStatusCode.Created);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"orders took {sw.Elapsed}");

        // once it reads: a user resync notice pointing at REST, or a close with the slow-consumer reason
        slow.StartReading();
        var seen = await slow.DrainAsync(5);
        var notice = seen.FirstOrDefault(m => IsUser(m) && WsClient.Str(m, "type") == "resync");
        if (notice.ValueKind == JsonValueKind.Object)
        {
            Assert.Equal("slow_consumer", WsClient.Str(notice, "reason"));
            Assert.Contains("GET /api/v1/orders", WsClient.Str(notice, "message"));
        }
        else
        {
            Assert.True(slow.Socket.CloseStatusDescription?.Contains("slow consumer", StringComparison.Ordinal) == true || slow.Socket.State == WebSocketState.Aborted,
                $"neither a resync notice nor a close: state {slow.Socket.State}, {seen.Count} messages");
        }
    }

    [Fact]
    public async Task Connections_beyond_max_connections_are_refused_with_503()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c, new MarketDataOptions { MaxConnections = 2 });
        await using var first = await WsClient.ConnectAsync(s.BaseAddress);
        await using var second = await WsClient.ConnectAsync(s.BaseAddress);
        using var third = new ClientWebSocket();
        third.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(WsClient.Address(s.BaseAddress), CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.HttpStatusCode);
        await first.SendAsync(new { op = "ping" });
        Assert.Equal("pong", WsClient.Str(await first.NextAsync(), "op"));
    }
}
