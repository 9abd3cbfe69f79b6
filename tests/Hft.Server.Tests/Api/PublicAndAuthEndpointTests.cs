using System.Globalization;
using System.Net;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>POST /api/v1/auth/token (API key → JWT), public market data, health and readiness.</summary>
public sealed class PublicAndAuthEndpointTests(ApiServerFixture api) : IClassFixture<ApiServerFixture>
{
    private static decimal Dec(System.Text.Json.JsonElement e) => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("dev-key-A1", "A1", "trader")]
    [InlineData("dev-key-A2", "A2", "trader")]
    [InlineData("dev-key-ADMIN", "ADMIN", "admin")]
    public async Task Dev_api_key_gets_a_working_token(string key, string account, string role)
    {
        var answer = (await api.Anonymous.Post("api/v1/auth/token", new { apiKey = key })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Bearer", answer.Str("tokenType"));
        Assert.Equal(account, answer.Str("account"));
        Assert.Equal(role, answer.Str("role"));
        Assert.Equal(api.Config.Auth.TokenLifetimeSeconds, answer.Body.GetProperty("expiresIn").GetInt32());
        using var client = api.NewClient(answer.Str("token"));
        var me = (await client.Get("api/v1/account")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(account, me.Str("account"));
    }

    [Fact]
    public async Task Bad_api_key_is_401_and_bad_body_400()
    {
        (await api.Anonymous.Post("api/v1/auth/token", new { apiKey = "dev-key-A3" })).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        (await api.Anonymous.Post("api/v1/auth/token", new { apiKey = "" })).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await api.Anonymous.Post("api/v1/auth/token", new { key = "dev-key-A1" })).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await api.Anonymous.PostRaw("api/v1/auth/token", "{\"apiKey\":")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Instruments_list_tick_lot_band_and_mark()
    {
        var list = (await api.Anonymous.Get("api/v1/instruments")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray()
            .ToDictionary(i => i.GetProperty("symbol").GetString()!);
        Assert.Equal(["BTCUSD", "ETHUSD"], list.Keys.Order());
        var btc = list["BTCUSD"];
        Assert.Equal(0.01m, Dec(btc.GetProperty("tick")));
        Assert.Equal(0.0001m, Dec(btc.GetProperty("lot")));
        Assert.Equal(10m, Dec(btc.GetProperty("priceBandPct")));
        Assert.Equal(50000m, Dec(btc.GetProperty("mark")));
        Assert.False(btc.GetProperty("halted").GetBoolean());
        Assert.Equal(3000m, Dec(list["ETHUSD"].GetProperty("mark")));
    }

    [Fact]
    public async Task Book_aggregates_levels_and_hides_accounts_below_level_3()
    {
        var a1 = api.Client("A1");
        var a2 = api.Client("A2");
        // A level of its own in this shared server: 45,010.00 is used by no other test.
        var o1 = (await a1.Place(Rest.Limit("buy", "45010", "0.3"))).AssertStatus(HttpStatusCode.Created);
        var o2 = (await a2.Place(Rest.Limit("buy", "45010.00", "0.2"))).AssertStatus(HttpStatusCode.Created);
        try
        {
            var book = (await api.Anonymous.Get("api/v1/book/BTCUSD?depth=1000")).AssertStatus(HttpStatusCode.OK).Body;
            Assert.Equal("BTCUSD", book.GetProperty("symbol").GetString());
            var level = book.GetProperty("bids").EnumerateArray().Single(l => Dec(l[0]) == 45010m);
            Assert.Equal(0.5m, Dec(level[1]));
            Assert.Equal(2, level[2].GetInt32());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, book.GetProperty("bidOrders").ValueKind);

            using var admin = api.Client("ADMIN", Hft.Auth.Roles.Admin); // owners are shown to operators only
            var l3 = (await admin.Get("api/v1/book/BTCUSD?level=3")).Body.GetProperty("bidOrders").EnumerateArray()
                .Where(o => Dec(o.GetProperty("price")) == 45010m).ToList();
            Assert.Equal([o1.Id, o2.Id], l3.Select(o => o.GetProperty("id").GetInt64()));
            Assert.Equal(["A1", "A2"], l3.Select(o => o.GetProperty("account").GetString()));
        }
        finally
        {
            await a1.Delete($"api/v1/orders/{o1.Id}");
            await a2.Delete($"api/v1/orders/{o2.Id}");
        }
    }

    [Fact]
    public async Task Public_trades_need_no_token()
    {
        var trades = (await api.Anonymous.Get("api/v1/trades/ETHUSD?limit=5")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, trades.Body.ValueKind);
    }

    [Fact]
    public async Task Health_and_ready()
    {
        Assert.Equal("ok", (await api.Anonymous.Get("health")).AssertStatus(HttpStatusCode.OK).Str("status"));
        Assert.Equal("ready", (await api.Anonymous.Get("ready")).AssertStatus(HttpStatusCode.OK).Str("status"));
    }
}
