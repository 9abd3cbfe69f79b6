using System.Globalization;
using System.Net;
using System.Text.Json;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// Order-by-order data over REST (<c>GET /api/v1/book/{symbol}?level=3</c>) follows the rules of the WebSocket level3
/// channel: only admins and entitled accounts get it; an entitled trader sees which resting orders are its own but never
/// another account's name; an admin sees every owner.
/// </summary>
public sealed class Level3VisibilityTests
{
    private static decimal Dec(JsonElement e) => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    private static List<JsonElement> BidsAt(Reply book, decimal price)
        => book.Json.GetProperty("bidOrders").EnumerateArray().Where(o => Dec(o.GetProperty("price")) == price).ToList();

    [Fact]
    public async Task Anonymous_and_unentitled_callers_get_no_level3_entitled_traders_see_only_their_own_admins_see_owners()
    {
        await using var s = await ServerFixture.StartAsync();
        var a1Order = await s.PlaceRestingAsync(s.Token("A1"), "BTCUSD", "buy", "45010", "0.3");
        var a2Order = await s.PlaceRestingAsync(s.Token("A2"), "BTCUSD", "buy", "45010", "0.2");

        // no token: 401 (and audited); A2 is not entitled (no market_data_level3): 403
        var anonymous = await s.GetAsync("/api/v1/book/BTCUSD?level=3", null);
        Assert.Contains("level 3", anonymous.ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized"), StringComparison.Ordinal);
        Assert.DoesNotContain("A1", anonymous.Text, StringComparison.Ordinal);
        var a2 = await s.GetAsync("/api/v1/book/BTCUSD?level=3", s.Token("A2"));
        Assert.Contains("market_data_level3", a2.ShouldBeError(HttpStatusCode.Forbidden, "forbidden"), StringComparison.Ordinal);
        Assert.Equal(["GET /api/v1/book/BTCUSD", "GET /api/v1/book/BTCUSD"],
            s.AuditLines().Where(l => l.GetProperty("action").GetString()!.StartsWith("auth.", StringComparison.Ordinal)).Select(l => l.GetProperty("target").GetString()));

        // A1 is entitled: every order, own ones marked, no account names at all
        var forA1 = (await s.GetAsync("/api/v1/book/BTCUSD?level=3", s.Token("A1"))).ShouldBe(HttpStatusCode.OK);
        var level = BidsAt(forA1, 45010m);
        Assert.Equal([a1Order, a2Order], level.Select(o => o.GetProperty("id").GetInt64()));
        Assert.Equal([true, false], level.Select(o => o.GetProperty("own").GetBoolean()));
        Assert.All(level, o => Assert.False(o.TryGetProperty("account", out _)));
        Assert.DoesNotContain("\"A2\"", forA1.Text, StringComparison.Ordinal);

        // an admin sees the owners (operations, surveillance)
        var forAdmin = BidsAt((await s.GetAsync("/api/v1/book/BTCUSD?level=3", s.AdminToken)).ShouldBe(HttpStatusCode.OK), 45010m);
        Assert.Equal(["A1", "A2"], forAdmin.Select(o => o.GetProperty("account").GetString()));

        // level 2 stays public and shows no orders
        var l2 = (await s.GetAsync("/api/v1/book/BTCUSD", null)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, l2.Json.GetProperty("bidOrders").ValueKind);
        Assert.DoesNotContain("A1", l2.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Level3_is_capped_in_levels_and_in_orders_per_side()
    {
        await using var s = await ServerFixture.StartAsync();
        string admin = s.AdminToken;
        (await s.GetAsync("/api/v1/book/BTCUSD?level=3&depth=101", admin)).ShouldBeError(HttpStatusCode.BadRequest, "invalid_request");
        (await s.GetAsync("/api/v1/book/BTCUSD?level=3&depth=100", admin)).ShouldBe(HttpStatusCode.OK);
        (await s.GetAsync("/api/v1/book/BTCUSD?depth=1001", null)).ShouldBeError(HttpStatusCode.BadRequest, "invalid_request");

        // more resting orders than one answer carries: the first ones in priority order, and a flag saying so
        const int resting = 1010;
        string a1 = s.Token("A1");
        for (int batch = 0; batch < resting / 10; batch++)
            await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => s.PlaceRestingAsync(a1, "BTCUSD", "buy", "46000", "0.01")));
        var full = (await s.GetAsync("/api/v1/book/BTCUSD?level=3&depth=5", admin)).ShouldBe(HttpStatusCode.OK).Json;
        Assert.Equal(1000, full.GetProperty("bidOrders").GetArrayLength());
        Assert.True(full.GetProperty("truncated").GetBoolean());
        Assert.Equal(resting, full.GetProperty("bids")[0][2].GetInt32());
        Assert.Equal(1000, full.GetProperty("bidOrders").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).Distinct().Count());
        Assert.Equal(0, full.GetProperty("askOrders").GetArrayLength());
    }
}
