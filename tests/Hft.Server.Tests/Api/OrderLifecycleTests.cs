using System.Globalization;
using System.Net;
using System.Text.Json;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// The life of an order over REST against a real server: place, list, replace (time priority kept and lost, as the
/// L3 book shows), partial fill by another account with the fills in the ack, own trades, positions and PnL, cancel.
/// Each test starts its own server so that the book starts empty.
/// </summary>
public sealed class OrderLifecycleTests
{
    private static decimal Dec(JsonElement e) => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    private static decimal Dec(JsonElement e, string name) => Dec(e.GetProperty(name));

    /// <summary>Order ids on the bid side of the L3 book, best first, their owners and quantities (owners: an admin's view).</summary>
    private static async Task<List<(long Id, string Account, decimal Price, decimal Qty)>> Bids(HttpClient client, string symbol)
    {
        var book = (await client.Get($"api/v1/book/{symbol}?level=3")).AssertStatus(HttpStatusCode.OK).Body;
        return book.GetProperty("bidOrders").EnumerateArray()
            .Select(o => (o.GetProperty("id").GetInt64(), o.GetProperty("account").GetString()!, Dec(o, "price"), Dec(o, "qty"))).ToList();
    }

    [Fact]
    public async Task Place_list_replace_fill_trades_positions_cancel()
    {
        await using var api = await ApiServerFixture.StartAsync(c => c);
        using var admin = api.Client("ADMIN", Hft.Auth.Roles.Admin);
        var a1 = api.Client("A1");
        var a2 = api.Client("A2");

        // 1. Two resting bids of A1 at one price: first, then second in time priority.
        var first = (await a1.Place(Rest.Limit("buy", "49000.00", "1", clientOrderId: "life-1"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("new", first.Str("status"));
        Assert.Equal("life-1", first.Str("clientOrderId"));
        Assert.Equal(1m, Dec(first.Body, "remainingQty"));
        Assert.Equal(0m, Dec(first.Body, "filledQty"));
        Assert.Equal(49000m, Dec(first.Body, "price"));
        Assert.Empty(first.Body.GetProperty("fills").EnumerateArray());
        var second = (await a1.Place(Rest.Limit("buy", "49000.00", "1", clientOrderId: "life-2"))).AssertStatus(HttpStatusCode.Created);
        long id1 = first.Id, id2 = second.Id;
        Assert.True(id2 > id1);

        // 2. GET /orders lists both open, newest first.
        var open = (await a1.Get("api/v1/orders")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray().ToList();
        Assert.Equal([id2, id1], open.Select(o => o.GetProperty("id").GetInt64()));
        Assert.All(open, o => Assert.Equal("new", o.GetProperty("status").GetString()));
        Assert.Equal([id1, id2], (await Bids(admin, "BTCUSD")).Select(b => b.Id));

        // 3. Reduce the first at the same price: it keeps its place in the queue.
        var reduced = (await a1.Patch($"api/v1/orders/{id1}", new { qty = "0.5" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(0.5m, Dec(reduced.Body, "remainingQty"));
        var bids = await Bids(admin, "BTCUSD");
        Assert.Equal([id1, id2], bids.Select(b => b.Id));
        Assert.Equal(0.5m, bids[0].Qty);

        // 4. Increase it: it loses priority and goes behind the second.
        (await a1.Patch($"api/v1/orders/{id1}", new { qty = "0.6" })).AssertStatus(HttpStatusCode.OK);
        bids = await Bids(admin, "BTCUSD");
        Assert.Equal([id2, id1], bids.Select(b => b.Id));
        Assert.Equal(0.6m, bids[1].Qty);
        Assert.All(bids, b => Assert.Equal("A1", b.Account));

        // 5. A2 sells 1.2 at 49000: fills the second (1.0) and 0.2 of the first, in priority order; fills in the ack.
        var sell = (await a2.Place(Rest.Limit("sell", "49000", "1.2", clientOrderId: "hit-1"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("filled", sell.Str("status"));
        Assert.Equal(1.2m, Dec(sell.Body, "filledQty"));
        var fills = sell.Body.GetProperty("fills").EnumerateArray().ToList();
        Assert.Equal(2, fills.Count);
        Assert.Equal([id2, id1], fills.Select(f => f.GetProperty("makerOrderId").GetInt64()));
        Assert.Equal([1m, 0.2m], fills.Select(f => Dec(f, "qty")));
        Assert.All(fills, f =>
        {
            Assert.Equal(49000m, Dec(f, "price"));
            Assert.Equal("taker", f.GetProperty("liquidity").GetString());
            Assert.Equal(sell.Id, f.GetProperty("takerOrderId").GetInt64());
        });

        // 6. A1's orders: the first partially filled and still open, the second filled (only with status=all).
        open = (await a1.Get("api/v1/orders")).Body.EnumerateArray().ToList();
        var partial = Assert.Single(open);
        Assert.Equal(id1, partial.GetProperty("id").GetInt64());
        Assert.Equal("partially_filled", partial.GetProperty("status").GetString());
        Assert.Equal(0.2m, Dec(partial, "filledQty"));
        Assert.Equal(0.4m, Dec(partial, "remainingQty"));
        var all = (await a1.Get("api/v1/orders?status=all")).Body.EnumerateArray().ToDictionary(o => o.GetProperty("id").GetInt64());
        Assert.Equal("filled", all[id2].GetProperty("status").GetString());
        Assert.Equal(0m, Dec(all[id2], "remainingQty"));

        // 7. Own trades: A1 bought as maker twice, A2 sold as taker twice; the public tape has both.
        var a1Trades = (await a1.Get("api/v1/trades")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray().ToList();
        Assert.Equal(2, a1Trades.Count);
        Assert.All(a1Trades, t =>
        {
            Assert.Equal("buy", t.GetProperty("side").GetString());
            Assert.Equal("maker", t.GetProperty("liquidity").GetString());
            Assert.Equal("BTCUSD", t.GetProperty("symbol").GetString());
        });
        Assert.Equal(new HashSet<long> { id1, id2 }, a1Trades.Select(t => t.GetProperty("orderId").GetInt64()).ToHashSet());
        Assert.Equal(1.2m, a1Trades.Sum(t => Dec(t, "qty")));
        var a2Trades = (await a2.Get("api/v1/trades")).Body.EnumerateArray().ToList();
        Assert.Equal(2, a2Trades.Count);
        Assert.All(a2Trades, t =>
        {
            Assert.Equal("sell", t.GetProperty("side").GetString());
            Assert.Equal("taker", t.GetProperty("liquidity").GetString());
            Assert.Equal(sell.Id, t.GetProperty("orderId").GetInt64());
        });
        var tape = (await api.Anonymous.Get("api/v1/trades/BTCUSD")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray().ToList();
        Assert.Equal(2, tape.Count);
        Assert.All(tape, t => Assert.Equal("sell", t.GetProperty("takerSide").GetString()));

        // 8. Positions: A1 long 1.2 at 49000, A2 short 1.2; then A1 sells 0.2 at 50000 to A2: realized +200 / -200.
        var pos = Assert.Single((await a1.Get("api/v1/positions")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray());
        Assert.Equal("BTCUSD", pos.GetProperty("symbol").GetString());
        Assert.Equal(1.2m, Dec(pos, "qty"));
        Assert.Equal(49000m, Dec(pos, "avgPrice"));
        Assert.Equal(0.4m, Dec(pos, "openBuyQty"));
        var a2Pos = Assert.Single((await a2.Get("api/v1/positions")).Body.EnumerateArray());
        Assert.Equal(-1.2m, Dec(a2Pos, "qty"));

        var ask = (await a1.Place(Rest.Limit("sell", "50000", "0.2"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("new", ask.Str("status"));
        var lift = (await a2.Place(Rest.Limit("buy", "50000", "0.2"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("filled", lift.Str("status"));
        Assert.Equal(ask.Id, Assert.Single(lift.Body.GetProperty("fills").EnumerateArray()).GetProperty("makerOrderId").GetInt64());

        var instruments = (await api.Anonymous.Get("api/v1/instruments")).Body.EnumerateArray().ToDictionary(i => i.GetProperty("symbol").GetString()!);
        decimal mark = Dec(instruments["BTCUSD"], "mark");
        Assert.Equal(50000m, Dec(instruments["BTCUSD"], "last"));

        var account = (await a1.Get("api/v1/account")).AssertStatus(HttpStatusCode.OK).Body;
        Assert.Equal("A1", account.GetProperty("account").GetString());
        Assert.True(account.GetProperty("enabled").GetBoolean());
        Assert.Equal(1, account.GetProperty("openOrders").GetInt32());
        Assert.Equal(200m, Dec(account, "realizedPnl"));
        Assert.Equal((mark - 49000m) * 1.0m, Dec(account, "unrealizedPnl"));
        Assert.Equal(0m, Dec(account, "fees"));
        var a2Account = (await a2.Get("api/v1/account")).Body;
        Assert.Equal(-200m, Dec(a2Account, "realizedPnl"));
        pos = Assert.Single((await a1.Get("api/v1/positions")).Body.EnumerateArray());
        Assert.Equal(1.0m, Dec(pos, "qty"));
        Assert.Equal(200m, Dec(pos, "realizedPnl"));

        // 9. Cancel the partially filled rest: status canceled (reason user), gone from the open list and the book.
        var canceled = (await a1.Delete($"api/v1/orders/{id1}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("canceled", canceled.Str("status"));
        Assert.Equal("user", canceled.Str("reason"));
        Assert.Equal(0.2m, Dec(canceled.Body, "filledQty"));
        Assert.Empty((await a1.Get("api/v1/orders")).Body.EnumerateArray());
        Assert.Empty(await Bids(admin, "BTCUSD"));
        all = (await a1.Get("api/v1/orders?status=all")).Body.EnumerateArray().ToDictionary(o => o.GetProperty("id").GetInt64());
        Assert.Equal("canceled", all[id1].GetProperty("status").GetString());
        Assert.Equal(3, all.Count);
        Assert.Equal(0, (await a1.Get("api/v1/account")).Body.GetProperty("openOrders").GetInt32());

        // 10. Cancelling it again: no such open order.
        (await a1.Delete($"api/v1/orders/{id1}")).AssertError(HttpStatusCode.NotFound, "unknown_order");
    }

    [Fact]
    public async Task Replace_to_a_crossing_price_trades_and_reports_the_fill()
    {
        await using var api = await ApiServerFixture.StartAsync(c => c);
        var a1 = api.Client("A1");
        var a2 = api.Client("A2");
        var ask = (await a2.Place(Rest.Limit("sell", "50010", "1"))).AssertStatus(HttpStatusCode.Created);
        var bid = (await a1.Place(Rest.Limit("buy", "49990", "1"))).AssertStatus(HttpStatusCode.Created);
        var moved = (await a1.Patch($"api/v1/orders/{bid.Id}", new { price = "50010", qty = "1" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("filled", moved.Str("status"));
        Assert.Equal(50010m, Dec(moved.Body, "price"));
        var fill = Assert.Single(moved.Body.GetProperty("fills").EnumerateArray());
        Assert.Equal(ask.Id, fill.GetProperty("makerOrderId").GetInt64());
        Assert.Equal("taker", fill.GetProperty("liquidity").GetString());
        var book = (await api.Anonymous.Get("api/v1/book/BTCUSD")).Body;
        Assert.Empty(book.GetProperty("bids").EnumerateArray());
        Assert.Empty(book.GetProperty("asks").EnumerateArray());
    }

    [Fact]
    public async Task Market_ioc_fok_and_post_only_orders()
    {
        await using var api = await ApiServerFixture.StartAsync(c => c);
        var a1 = api.Client("A1");
        var a2 = api.Client("A2");
        (await a2.Place(Rest.Limit("sell", "3001", "0.5", symbol: "ETHUSD"))).AssertStatus(HttpStatusCode.Created);
        var ask2 = (await a2.Place(Rest.Limit("sell", "3002", "0.5", symbol: "ETHUSD"))).AssertStatus(HttpStatusCode.Created);

        // Market: sweeps 0.5 at 3001 and 0.2 at 3002.
        var market = (await a1.Place(new { symbol = "ETHUSD", side = "buy", type = "market", qty = "0.7" })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("filled", market.Str("status"));
        Assert.Equal("market", market.Str("type"));
        Assert.Equal(JsonValueKind.Null, market.Body.GetProperty("price").ValueKind);
        Assert.Equal([3001m, 3002m], market.Body.GetProperty("fills").EnumerateArray().Select(f => Dec(f, "price")));
        Assert.Equal([0.5m, 0.2m], market.Body.GetProperty("fills").EnumerateArray().Select(f => Dec(f, "qty")));

        // IOC: takes the 0.3 left at 3002, the rest is canceled, never rests.
        var ioc = (await a1.Place(Rest.Limit("buy", "3002", "1", symbol: "ETHUSD", tif: "ioc"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("canceled", ioc.Str("status"));
        Assert.Equal("ioc_remainder", ioc.Str("reason"));
        Assert.Equal("ioc", ioc.Str("tif"));
        Assert.Equal(0.3m, Dec(ioc.Body, "filledQty"));
        Assert.Equal(ask2.Id, Assert.Single(ioc.Body.GetProperty("fills").EnumerateArray()).GetProperty("makerOrderId").GetInt64());
        Assert.Empty((await api.Anonymous.Get("api/v1/book/ETHUSD")).Body.GetProperty("bids").EnumerateArray());

        // FOK: 2 cannot fill against 1 — nothing trades; 1 fills whole.
        var rest = (await a2.Place(Rest.Limit("sell", "3005", "1", symbol: "ETHUSD"))).AssertStatus(HttpStatusCode.Created);
        var fokKilled = (await a1.Place(Rest.Limit("buy", "3005", "2", symbol: "ETHUSD", tif: "fok"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("canceled", fokKilled.Str("status"));
        Assert.Equal("fok_unfilled", fokKilled.Str("reason"));
        Assert.Equal(0m, Dec(fokKilled.Body, "filledQty"));
        Assert.Empty(fokKilled.Body.GetProperty("fills").EnumerateArray());
        var asks = (await api.Anonymous.Get("api/v1/book/ETHUSD")).Body.GetProperty("asks").EnumerateArray().ToList();
        Assert.Equal(1m, Dec(Assert.Single(asks)[1]));
        var fok = (await a1.Place(Rest.Limit("buy", "3005", "1", symbol: "ETHUSD", tif: "fok"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("filled", fok.Str("status"));
        Assert.Equal(rest.Id, Assert.Single(fok.Body.GetProperty("fills").EnumerateArray()).GetProperty("makerOrderId").GetInt64());

        // Post-only: would cross → canceled whole; passive → rests.
        (await a2.Place(Rest.Limit("sell", "3010", "1", symbol: "ETHUSD"))).AssertStatus(HttpStatusCode.Created);
        var crossing = (await a1.Place(Rest.Limit("buy", "3010", "1", symbol: "ETHUSD", postOnly: true))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("canceled", crossing.Str("status"));
        Assert.Equal("post_only_would_cross", crossing.Str("reason"));
        Assert.Empty(crossing.Body.GetProperty("fills").EnumerateArray());
        var passive = (await a1.Place(Rest.Limit("buy", "2990", "1", symbol: "ETHUSD", postOnly: true))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("new", passive.Str("status"));
        Assert.True(passive.Body.GetProperty("postOnly").GetBoolean());

        var book = (await api.Anonymous.Get("api/v1/book/ETHUSD")).AssertStatus(HttpStatusCode.OK).Body;
        Assert.False(book.GetProperty("halted").GetBoolean());
        var bid = Assert.Single(book.GetProperty("bids").EnumerateArray());
        Assert.Equal(2990m, Dec(bid[0]));
        Assert.Equal(1m, Dec(bid[1]));
        Assert.Equal(1, bid[2].GetInt32());
        var ask = Assert.Single(book.GetProperty("asks").EnumerateArray());
        Assert.Equal(3010m, Dec(ask[0]));

        // Market order with the opposite side empty after it: the remainder is canceled (no liquidity).
        var sweep = (await a1.Place(new { symbol = "ETHUSD", side = "buy", type = "market", qty = "3" })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("canceled", sweep.Str("status"));
        Assert.Equal(1m, Dec(sweep.Body, "filledQty"));
        Assert.Equal("market_no_liquidity", sweep.Str("reason"));
    }

    [Fact]
    public async Task Cancel_all_by_symbol_then_everything()
    {
        await using var api = await ApiServerFixture.StartAsync(c => c);
        var a1 = api.Client("A1");
        var a2 = api.Client("A2");
        var btc1 = (await a1.Place(Rest.Limit("buy", "49000", "1"))).AssertStatus(HttpStatusCode.Created).Id;
        var btc2 = (await a1.Place(Rest.Limit("sell", "51000", "1"))).AssertStatus(HttpStatusCode.Created).Id;
        var eth = (await a1.Place(Rest.Limit("buy", "2900", "1", symbol: "ETHUSD"))).AssertStatus(HttpStatusCode.Created).Id;
        var other = (await a2.Place(Rest.Limit("buy", "48000", "1"))).AssertStatus(HttpStatusCode.Created).Id;

        var bySymbol = (await a1.Delete("api/v1/orders?symbol=BTCUSD")).AssertStatus(HttpStatusCode.OK).Body;
        Assert.Equal(2, bySymbol.GetProperty("canceled").GetInt32());
        Assert.Equal(new HashSet<long> { btc1, btc2 }, bySymbol.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).ToHashSet());
        Assert.Equal([eth], (await a1.Get("api/v1/orders")).Body.EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));

        (await a1.Delete("api/v1/orders?symbol=DOGEUSD")).AssertError(HttpStatusCode.BadRequest, "unknown_symbol");

        var everything = (await a1.Delete("api/v1/orders")).AssertStatus(HttpStatusCode.OK).Body;
        Assert.Equal(1, everything.GetProperty("canceled").GetInt32());
        Assert.Equal(eth, Assert.Single(everything.GetProperty("ids").EnumerateArray()).GetInt64());
        Assert.Empty((await a1.Get("api/v1/orders")).Body.EnumerateArray());

        // A2's order is untouched by A1's cancel-all.
        Assert.Equal([other], (await a2.Get("api/v1/orders")).Body.EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));
        var statuses = (await a1.Get("api/v1/orders?status=all")).Body.EnumerateArray().Select(o => o.GetProperty("status").GetString()).ToList();
        Assert.Equal(3, statuses.Count);
        Assert.All(statuses, s => Assert.Equal("canceled", s));
    }
}
