using System.Globalization;
using System.Net;
using System.Text.Json;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// Stop-limit, iceberg and good-till-date orders over REST against a real server: field validation with its codes,
/// the pending_trigger / triggered statuses, a stop fired by another account's trade, only an iceberg's slice in the
/// L3 book, and a GTD order expired by the server's expiry timer.
/// </summary>
public sealed class OrderTypesRestTests
{
    private static decimal Dec(JsonElement e, string name) => decimal.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private static async Task<List<(long Id, decimal Qty)>> Asks(HttpClient client)
    {
        var book = (await client.Get("api/v1/book/BTCUSD?level=3")).AssertStatus(HttpStatusCode.OK).Body;
        return book.GetProperty("askOrders").EnumerateArray().Select(o => (o.GetProperty("id").GetInt64(), Dec(o, "qty"))).ToList();
    }

    /// <summary>The account's order <paramref name="id"/> from GET /orders?status=all.</summary>
    private static async Task<JsonElement> Order(HttpClient client, long id)
        => (await client.Get("api/v1/orders?status=all")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray()
            .Single(o => o.GetProperty("id").GetInt64() == id);

    [Theory]
    [InlineData("""{"symbol":"BTCUSD","side":"buy","type":"stop","qty":"1"}""", "invalid_trigger_price")]
    [InlineData("""{"symbol":"BTCUSD","side":"buy","type":"limit","price":"49000","triggerPrice":"49100","qty":"1"}""", "invalid_trigger_price")]
    [InlineData("""{"symbol":"BTCUSD","side":"buy","type":"stop_limit","triggerPrice":"49100.001","price":"49000","qty":"1"}""", "invalid_trigger_price")]
    [InlineData("""{"symbol":"BTCUSD","side":"sell","type":"limit","price":"49000","qty":"1","displayQty":"2"}""", "invalid_display_qty")]
    [InlineData("""{"symbol":"BTCUSD","side":"sell","type":"market","qty":"1","displayQty":"0.5"}""", "invalid_display_qty")]
    [InlineData("""{"symbol":"BTCUSD","side":"sell","type":"limit","tif":"gtd","price":"49000","qty":"1"}""", "invalid_expire_time")]
    [InlineData("""{"symbol":"BTCUSD","side":"sell","type":"limit","tif":"gtd","price":"49000","qty":"1","expireTime":"2001-01-01T00:00:00Z"}""", "invalid_expire_time")]
    [InlineData("""{"symbol":"BTCUSD","side":"sell","type":"limit","price":"49000","qty":"1","expireTime":"2999-01-01T00:00:00Z"}""", "invalid_expire_time")]
    [InlineData("""{"symbol":"BTCUSD","side":"sell","type":"stop","triggerPrice":"49000","price":"49000","qty":"1"}""", "invalid_request")]
    public async Task Invalid_order_type_fields_are_400_with_their_code(string body, string code)
    {
        await using var api = await ApiServerFixture.StartAsync(c => c);
        var a1 = api.Client("A1");
        var result = await a1.Send(HttpMethod.Post, "api/v1/orders", body);
        result.AssertError(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task A_stop_limit_waits_off_book_then_fires_on_another_accounts_trade()
    {
        await using var api = await ApiServerFixture.StartAsync(c => c);
        using var admin = api.Client("ADMIN", Hft.Auth.Roles.Admin);
        var a1 = api.Client("A1");
        var a2 = api.Client("A2");
        (await a2.Place(Rest.Limit("buy", "49000", "1"))).AssertStatus(HttpStatusCode.Created);
        (await a1.Place(Rest.Limit("sell", "49000", "0.1"))).AssertStatus(HttpStatusCode.Created); // last trade 49000

        var stop = (await a1.Place(new { symbol = "BTCUSD", side = "buy", type = "stop_limit", triggerPrice = "49100", price = "49200", qty = "0.5" }))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal("pending_trigger", stop.Str("status"));
        Assert.Equal("stop_limit", stop.Str("type"));
        Assert.Equal(49100m, Dec(stop.Body, "triggerPrice"));
        Assert.Equal(0m, Dec(stop.Body, "visibleQty"));
        var bids = (await admin.Get("api/v1/book/BTCUSD?level=3")).Body.GetProperty("bidOrders").EnumerateArray();
        Assert.DoesNotContain(bids, o => o.GetProperty("id").GetInt64() == stop.Id); // not resting liquidity

        (await a2.Place(Rest.Limit("sell", "49100", "1"))).AssertStatus(HttpStatusCode.Created);
        (await a1.Place(Rest.Limit("buy", "49100", "0.1"))).AssertStatus(HttpStatusCode.Created); // trades at 49100: fires the stop

        var fired = await Order(a1, stop.Id);
        Assert.Equal("filled", fired.GetProperty("status").GetString());
        Assert.Equal(0.5m, Dec(fired, "filledQty"));
    }

    [Fact]
    public async Task Only_an_icebergs_slice_shows_in_the_book()
    {
        await using var api = await ApiServerFixture.StartAsync(c => c);
        using var admin = api.Client("ADMIN", Hft.Auth.Roles.Admin);
        var a1 = api.Client("A1");
        var a2 = api.Client("A2");
        var iceberg = (await a1.Place(new { symbol = "BTCUSD", side = "sell", type = "limit", price = "49500", qty = "1", displayQty = "0.2" }))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal(0.2m, Dec(iceberg.Body, "displayQty"));
        Assert.Equal(0.2m, Dec(iceberg.Body, "visibleQty"));
        Assert.Equal(1m, Dec(iceberg.Body, "remainingQty"));
        Assert.Equal([(iceberg.Id, 0.2m)], await Asks(admin));

        var take = (await a2.Place(Rest.Limit("buy", "49500", "0.3"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("filled", take.Str("status"));
        Assert.Equal(0.7m, Dec(await Order(a1, iceberg.Id), "remainingQty"));
        Assert.Equal([(iceberg.Id, 0.1m)], await Asks(admin)); // second slice 0.2, 0.1 of it taken
    }

    [Fact]
    public async Task A_gtd_order_is_canceled_as_expired_by_the_servers_expiry_command()
    {
        await using var api = await ApiServerFixture.StartAsync(c => c);
        var a1 = api.Client("A1");
        string expire = DateTimeOffset.UtcNow.AddSeconds(3).ToString("O", CultureInfo.InvariantCulture); // time to spare on a busy machine
        var gtd = (await a1.Place(new { symbol = "BTCUSD", side = "buy", type = "limit", tif = "gtd", price = "49000", qty = "1", expireTime = expire }))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal("new", gtd.Str("status"));
        Assert.Equal("gtd", gtd.Str("tif"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement now;
        do
        {
            await Task.Delay(200);
            now = await Order(a1, gtd.Id);
        }
        while (now.GetProperty("status").GetString() != "canceled" && DateTime.UtcNow < deadline);
        Assert.Equal("canceled", now.GetProperty("status").GetString());
        Assert.Equal("expired", now.GetProperty("reason").GetString());
    }
}
