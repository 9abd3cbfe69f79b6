using System.Globalization;
using System.Net;
using System.Text.Json;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Admin;

/// <summary>The admin API against a real server: halts, kill switch, cancel-all, limits, mark, listing.</summary>
public sealed class AdminEndpointTests
{
    private static readonly HttpMethod Post = HttpMethod.Post;

    [Fact]
    public async Task Halt_RefusesNewOrders_CancelStillWorks_ResumeRestoresTrading()
    {
        await using var s = await ServerFixture.StartAsync();
        string a1 = s.Token("A1");
        long resting = await s.PlaceRestingAsync(a1, "BTCUSD", "buy", "49000", "0.1");

        var halt = (await s.AdminAsync(Post, "/instruments/BTCUSD/halt")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("BTCUSD", halt.Str("symbol"));
        Assert.True(halt.Json.GetProperty("halted").GetBoolean());
        Assert.True(s.Server.Pipeline.RiskBook.Instrument(0)!.Halted);

        (await s.PlaceLimitAsync(a1, "BTCUSD", "buy", "49000", "0.1")).ShouldBeError(HttpStatusCode.ServiceUnavailable, "instrument_halted");
        await s.PlaceRestingAsync(a1, "ETHUSD", "buy", "2900", "1"); // other instruments trade on
        var book = (await s.GetAsync("/api/v1/book/BTCUSD", a1)).ShouldBe(HttpStatusCode.OK);
        Assert.True(book.Json.GetProperty("halted").GetBoolean());

        var canceled = (await s.DeleteAsync($"/api/v1/orders/{resting}", a1)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("canceled", canceled.Str("status"));

        (await s.AdminAsync(Post, "/instruments/BTCUSD/resume")).ShouldBe(HttpStatusCode.OK);
        Assert.False(s.Server.Pipeline.RiskBook.Instrument(0)!.Halted);
        await s.PlaceRestingAsync(a1, "BTCUSD", "buy", "49000", "0.1");
    }

    [Fact]
    public async Task HaltAll_MakesReadyFail_ResumeAllRestores()
    {
        await using var s = await ServerFixture.StartAsync();
        (await s.GetAsync("/ready", null)).ShouldBe(HttpStatusCode.OK);

        var halt = (await s.AdminAsync(Post, "/halt")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["BTCUSD", "ETHUSD"], halt.Json.GetProperty("symbols").EnumerateArray().Select(e => e.GetString()));
        var ready = (await s.GetAsync("/ready", null)).ShouldBe(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("all trading is halted", ready.Json.GetProperty("problems").EnumerateArray().Select(e => e.GetString()));
        (await s.PlaceLimitAsync(s.Token("A1"), "ETHUSD", "buy", "2900", "1")).ShouldBeError(HttpStatusCode.ServiceUnavailable, "instrument_halted");

        (await s.AdminAsync(Post, "/resume")).ShouldBe(HttpStatusCode.OK);
        (await s.GetAsync("/ready", null)).ShouldBe(HttpStatusCode.OK);
        await s.PlaceRestingAsync(s.Token("A1"), "ETHUSD", "buy", "2900", "1");
    }

    [Fact]
    public async Task HaltingOneInstrument_KeepsReady()
    {
        await using var s = await ServerFixture.StartAsync();
        (await s.AdminAsync(Post, "/instruments/ETHUSD/halt")).ShouldBe(HttpStatusCode.OK);
        (await s.GetAsync("/ready", null)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CancelAll_CancelsEveryOrderOfTheAccountOnAllShards_AndNoOtherAccounts()
    {
        await using var s = await ServerFixture.StartAsync();
        Assert.Equal(2, s.Server.Pipeline.Shards.Count); // BTCUSD and ETHUSD on different shards
        string a1 = s.Token("A1"), a2 = s.Token("A2");
        long[] mine =
        [
            await s.PlaceRestingAsync(a1, "BTCUSD", "buy", "49000", "0.1"),
            await s.PlaceRestingAsync(a1, "BTCUSD", "sell", "51000", "0.1"),
            await s.PlaceRestingAsync(a1, "ETHUSD", "buy", "2900", "1"),
        ];
        long theirs = await s.PlaceRestingAsync(a2, "BTCUSD", "buy", "49500", "0.2");

        var reply = (await s.AdminAsync(Post, "/accounts/A1/cancel-all")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(3, reply.Json.GetProperty("canceled").GetInt32());
        Assert.Equal(mine.Order(), reply.Json.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).Order());

        var orders = await s.OrdersAsync(a1);
        foreach (long id in mine)
        {
            Assert.Equal("canceled", orders[id].GetProperty("status").GetString());
            Assert.Equal("admin", orders[id].GetProperty("reason").GetString());
        }
        Assert.Equal("new", (await s.OrdersAsync(a2))[theirs].GetProperty("status").GetString());

        // nothing left: a second cancel-all cancels nothing; one symbol only
        Assert.Equal(0, (await s.AdminAsync(Post, "/accounts/A1/cancel-all")).ShouldBe(HttpStatusCode.OK).Json.GetProperty("canceled").GetInt32());
        await s.PlaceRestingAsync(a2, "ETHUSD", "buy", "2900", "1");
        var one = (await s.AdminAsync(Post, "/accounts/A2/cancel-all?symbol=BTCUSD")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([theirs], one.Json.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()));
        (await s.AdminAsync(Post, "/accounts/A2/cancel-all?symbol=NOPE")).ShouldBeError(HttpStatusCode.NotFound, "unknown_symbol");
    }

    [Fact]
    public async Task Disable_CancelsOpenOrders_RefusesNewOnes_EnableRestores()
    {
        await using var s = await ServerFixture.StartAsync();
        string a1 = s.Token("A1");
        long b = await s.PlaceRestingAsync(a1, "BTCUSD", "buy", "49000", "0.1");
        long e = await s.PlaceRestingAsync(a1, "ETHUSD", "sell", "3100", "2");
        long other = await s.PlaceRestingAsync(s.Token("A2"), "BTCUSD", "buy", "49000", "0.1");

        var reply = (await s.AdminAsync(Post, "/accounts/A1/disable")).ShouldBe(HttpStatusCode.OK);
        Assert.False(reply.Json.GetProperty("enabled").GetBoolean());
        Assert.Equal(2, reply.Json.GetProperty("canceled").GetInt32());

        var orders = await s.OrdersAsync(a1);
        foreach (long id in new[] { b, e })
        {
            Assert.Equal("canceled", orders[id].GetProperty("status").GetString());
            Assert.Equal("account_disabled", orders[id].GetProperty("reason").GetString());
        }
        Assert.Equal("new", (await s.OrdersAsync(s.Token("A2")))[other].GetProperty("status").GetString());
        (await s.PlaceLimitAsync(a1, "BTCUSD", "buy", "49000", "0.1")).ShouldBeError(HttpStatusCode.Forbidden, "account_disabled");

        var account = (await s.AdminAsync(HttpMethod.Get, "/accounts/A1")).ShouldBe(HttpStatusCode.OK);
        Assert.False(account.Json.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, account.Json.GetProperty("openOrders").GetInt32());

        var enabled = (await s.AdminAsync(Post, "/accounts/A1/enable")).ShouldBe(HttpStatusCode.OK);
        Assert.True(enabled.Json.GetProperty("enabled").GetBoolean());
        await s.PlaceRestingAsync(a1, "BTCUSD", "buy", "49000", "0.1");
    }

    [Fact]
    public async Task SetLimits_ChangesOnlyTheGivenFields_AndRiskAppliesThem()
    {
        await using var s = await ServerFixture.StartAsync();
        string a1 = s.Token("A1");
        await s.PlaceRestingAsync(a1, "BTCUSD", "buy", "49000", "2");

        var reply = (await s.AdminAsync(HttpMethod.Put, "/accounts/A1/limits", new { maxOrderQty = "0.5", maxOpenOrders = 3, takerFeeBps = "1.5" }))
            .ShouldBe(HttpStatusCode.OK);
        var limits = reply.Json.GetProperty("limits");
        Assert.Equal(0.5m, Dec(limits, "maxOrderQty"));
        Assert.Equal(3, limits.GetProperty("maxOpenOrders").GetInt32());
        Assert.Equal(1.5m, Dec(limits, "takerFeeBps"));
        Assert.Equal(100_000_000m, Dec(limits, "credit")); // A1's own credit, untouched
        Assert.Equal(5000m, Dec(limits, "maxPosition")); // the [risk] default, untouched

        (await s.PlaceLimitAsync(a1, "BTCUSD", "buy", "49000", "1")).ShouldBeError(HttpStatusCode.UnprocessableEntity, "max_qty");
        await s.PlaceRestingAsync(a1, "BTCUSD", "buy", "49000", "0.5");
        (await s.PlaceLimitAsync(s.Token("A2"), "BTCUSD", "buy", "49000", "1")).ShouldBe(HttpStatusCode.Created); // A2 unaffected

        // null removes a limit
        var removed = (await s.AdminAsync(HttpMethod.Put, "/accounts/A1/limits", "{\"maxOrderQty\":null,\"credit\":123.45}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, removed.Json.GetProperty("limits").GetProperty("maxOrderQty").ValueKind);
        Assert.Equal(123.45m, Dec(removed.Json.GetProperty("limits"), "credit"));
        (await s.AdminAsync(HttpMethod.Put, "/accounts/A1/limits", new { credit = (string?)null })).ShouldBe(HttpStatusCode.OK);
        await s.PlaceRestingAsync(a1, "BTCUSD", "buy", "49000", "1");

        // max open orders (3) reached now
        (await s.PlaceLimitAsync(a1, "BTCUSD", "buy", "49000", "0.1")).ShouldBeError(HttpStatusCode.UnprocessableEntity, "max_open_orders");

        var listed = (await s.AdminAsync(HttpMethod.Get, "/accounts/A1")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, listed.Json.GetProperty("limits").GetProperty("credit").ValueKind);
        Assert.Equal(3, listed.Json.GetProperty("limits").GetProperty("maxOpenOrders").GetInt32());
    }

    [Theory]
    [InlineData("{\"maxOrderQty\":\"10\",\"leverage\":\"5\"}", "leverage")]
    [InlineData("{\"credit\":true}", "credit")]
    [InlineData("{\"maxOpenOrders\":\"10\"}", "maxOpenOrders")]
    [InlineData("{\"maxOpenOrders\":1.5}", "maxOpenOrders")]
    [InlineData("{\"maxOpenOrders\":-1}", "maxOpenOrders")]
    [InlineData("{\"maxPosition\":\"-1\"}", "maxPosition")]
    [InlineData("{\"maxOrderNotional\":\"12abc\"}", "maxOrderNotional")]
    [InlineData("{\"maxOrderQty\":\"1e3\"}", "maxOrderQty")]
    [InlineData("{\"credit\":\"0.0000000000000000001\"}", "credit")]
    [InlineData("{\"makerFeeBps\":null}", "makerFeeBps")]
    [InlineData("{\"takerFeeBps\":\"10001\"}", "takerFeeBps")]
    [InlineData("{\"takerFeeBps\":\"0.0000001\"}", "takerFeeBps")]
    [InlineData("{\"credit\":\"1\",\"credit\":\"2\"}", "credit")]
    [InlineData("{\"credit\":", "malformed JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("", "malformed JSON")]
    public async Task BadLimits_Are400_NamingTheField_AndChangeNothing(string body, string named)
    {
        await using var s = await ServerFixture.StartAsync();
        var before = s.Server.Pipeline.RiskBook.Account(IdOf(s, "A1")).Limits;
        var message = (await s.AdminAsync(HttpMethod.Put, "/accounts/A1/limits", body.Length == 0 ? null : body))
            .ShouldBeError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains(named, message);
        Assert.Same(before, s.Server.Pipeline.RiskBook.Account(IdOf(s, "A1")).Limits);
        var line = Assert.Single(s.AuditOf("admin.limits"));
        Assert.Equal("400 invalid_request", line.GetProperty("result").GetString());
        Assert.Equal(message, line.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Mark_OnTheTickGrid_IsSet_OffGridIs400()
    {
        await using var s = await ServerFixture.StartAsync();
        var reply = (await s.AdminAsync(Post, "/instruments/BTCUSD/mark", new { price = "50010" })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(50010m, Dec(reply.Json, "mark"));
        Assert.Equal(5_001_000, s.Server.Pipeline.RiskBook.Instrument(0)!.Mark); // ticks of 0.01

        (await s.AdminAsync(Post, "/instruments/BTCUSD/mark", new { price = "50010.005" })).ShouldBeError(HttpStatusCode.BadRequest, "invalid_price");
        (await s.AdminAsync(Post, "/instruments/BTCUSD/mark", new { price = "-1" })).ShouldBeError(HttpStatusCode.BadRequest, "invalid_price");
        Assert.Contains("'px'", (await s.AdminAsync(Post, "/instruments/BTCUSD/mark", new { px = "1" })).ShouldBeError(HttpStatusCode.BadRequest, "invalid_request"));
        Assert.Contains("'price'", (await s.AdminAsync(Post, "/instruments/BTCUSD/mark", "{}")).ShouldBeError(HttpStatusCode.BadRequest, "invalid_request"));
        (await s.AdminAsync(Post, "/instruments/BTCUSD/mark", new { price = true })).ShouldBeError(HttpStatusCode.BadRequest, "invalid_request");
        (await s.AdminAsync(Post, "/instruments/NOPE/mark", new { price = "1" })).ShouldBeError(HttpStatusCode.NotFound, "unknown_symbol");
        Assert.Equal(5_001_000, s.Server.Pipeline.RiskBook.Instrument(0)!.Mark);

        // the band now follows the new mark (10%): 55011 is outside, 55010 inside
        (await s.PlaceLimitAsync(s.Token("A1"), "BTCUSD", "sell", "55011.01", "0.1")).ShouldBeError(HttpStatusCode.UnprocessableEntity, "price_band");
        await s.PlaceRestingAsync(s.Token("A1"), "BTCUSD", "sell", "55011", "0.1");
    }

    [Theory]
    [InlineData("POST", "/instruments/NOPE/halt", "unknown_symbol")]
    [InlineData("POST", "/instruments/NOPE/resume", "unknown_symbol")]
    [InlineData("POST", "/accounts/NOPE/cancel-all", "unknown_account")]
    [InlineData("POST", "/accounts/NOPE/disable", "unknown_account")]
    [InlineData("POST", "/accounts/NOPE/enable", "unknown_account")]
    [InlineData("PUT", "/accounts/NOPE/limits", "unknown_account")]
    [InlineData("GET", "/accounts/NOPE", "unknown_account")]
    public async Task UnknownAccountOrSymbol_Is404_AndAudited(string method, string path, string code)
    {
        await using var s = await ServerFixture.StartAsync();
        (await s.AdminAsync(new HttpMethod(method), path, method == "PUT" ? "{}" : null)).ShouldBeError(HttpStatusCode.NotFound, code);
        var line = Assert.Single(s.AuditLines());
        Assert.Equal("ADMIN", line.GetProperty("subject").GetString());
        Assert.Equal("NOPE", line.GetProperty("target").GetString());
        Assert.Equal("404 " + code, line.GetProperty("result").GetString());
    }

    [Fact]
    public async Task ListAccounts_ShowsEveryAccountWithEnabledLimitsExposureAndOpenOrders()
    {
        await using var s = await ServerFixture.StartAsync();
        await s.PlaceRestingAsync(s.Token("A1"), "BTCUSD", "buy", "50000", "2");
        (await s.AdminAsync(Post, "/accounts/A2/disable")).ShouldBe(HttpStatusCode.OK);

        var reply = (await s.AdminAsync(HttpMethod.Get, "/accounts")).ShouldBe(HttpStatusCode.OK);
        var accounts = reply.Json.EnumerateArray().ToDictionary(a => a.GetProperty("account").GetString()!);
        Assert.Equal(["A1", "A2", "ADMIN"], accounts.Keys.Order());
        var a1 = accounts["A1"];
        Assert.True(a1.GetProperty("enabled").GetBoolean());
        Assert.Equal(1, a1.GetProperty("openOrders").GetInt32());
        Assert.Equal(100_000m, Dec(a1, "exposure")); // 2 x 50000 open
        Assert.Equal(0.001m, Dec(a1, "utilization")); // of 100,000,000 credit
        Assert.Equal(100_000_000m, Dec(a1.GetProperty("limits"), "credit"));
        Assert.False(accounts["A2"].GetProperty("enabled").GetBoolean());
        Assert.Equal(10_000_000m, Dec(accounts["ADMIN"].GetProperty("limits"), "credit")); // the [risk] default
    }

    private static decimal Dec(JsonElement obj, string name)
        => decimal.Parse(obj.GetProperty(name).GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static int IdOf(ServerFixture s, string account)
    {
        Assert.True(s.Server.Pipeline.Accounts.TryGet(account, out int id));
        return id;
    }
}
