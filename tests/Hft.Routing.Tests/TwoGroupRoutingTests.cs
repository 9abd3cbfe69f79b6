using System.Text.Json;
using Hft.Routing.Tests.Support;

namespace Hft.Routing.Tests;

/// <summary>
/// The gateway in front of two real hft servers (group 0: BTCUSD, group 1: ETHUSD): every request lands on the
/// server owning it, checked by reading that server directly.
/// </summary>
public sealed class TwoGroupRoutingTests(TwoGroups groups) : IClassFixture<TwoGroups>
{
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    [Fact]
    public async Task Orders_land_on_the_server_of_their_symbols_group_and_ids_name_the_group()
    {
        using var client = groups.Client();
        var btc = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("BTCUSD", "buy", "49000.00", "0.01", "route-btc-1"))).ShouldBe(201);
        var eth = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("ETHUSD", "buy", "2900.00", "0.1", "route-eth-1"))).ShouldBe(201);
        Assert.Equal("0", btc.Header("X-Hft-Group"));
        Assert.Equal("1", eth.Header("X-Hft-Group"));
        Assert.Equal(0, btc.Id >> 40);
        Assert.Equal(1, eth.Id >> 40);

        var onBtc = await groups.Btc.OrdersAsync();
        var onEth = await groups.Eth.OrdersAsync();
        Assert.Equal("route-btc-1", onBtc[btc.Id].GetProperty("clientOrderId").GetString());
        Assert.Equal("route-eth-1", onEth[eth.Id].GetProperty("clientOrderId").GetString());
        Assert.DoesNotContain(eth.Id, onBtc.Keys);
        Assert.DoesNotContain(btc.Id, onEth.Keys);
        Assert.True(await groups.Gateway.MetricAsync("hft_router_requests_total{group=\"1\",outcome=\"forwarded\"}") >= 1);
    }

    [Fact]
    public async Task Cancel_and_replace_by_id_go_to_the_group_the_id_names()
    {
        using var client = groups.Client();
        long btc = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("BTCUSD", "buy", "48000.00", "0.02"))).ShouldBe(201).Id;
        long eth = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("ETHUSD", "buy", "2800.00", "0.2"))).ShouldBe(201).Id;

        var replaced = (await client.SendJson(Patch, $"api/v1/orders/{eth}", new { price = "2810.00", qty = "0.3" })).ShouldBe(200);
        Assert.Equal("1", replaced.Header("X-Hft-Group"));
        Assert.Equal(2810m, decimal.Parse((await groups.Eth.OrdersAsync())[eth].GetProperty("price").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        (await client.SendJson(HttpMethod.Delete, $"api/v1/orders/{btc}")).ShouldBe(200);
        Assert.Equal("canceled", (await groups.Btc.OrdersAsync())[btc].GetProperty("status").GetString());
        Assert.Equal("new", (await groups.Eth.OrdersAsync())[eth].GetProperty("status").GetString());

        // An id of a group that does not exist, and one that is not a number: not found, in the API's shape.
        (await client.SendJson(HttpMethod.Delete, $"api/v1/orders/{(5L << 40) + 1}")).ShouldBeError(404, "unknown_order");
        (await client.SendJson(HttpMethod.Delete, "api/v1/orders/abc")).ShouldBeError(404, "unknown_order");
        // The group's own answer for an id it does not have comes back as it was.
        (await client.SendJson(HttpMethod.Delete, $"api/v1/orders/{(1L << 40) + 999_999}")).ShouldBeError(404, "unknown_order");
    }

    [Fact]
    public async Task Order_list_positions_and_trades_fan_out_to_every_group_and_merge()
    {
        using var client = groups.Client("A2");
        long btc = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("BTCUSD", "sell", "50000.00", "0.01"))).ShouldBe(201).Id;
        long eth = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("ETHUSD", "sell", "3000.00", "0.1"))).ShouldBe(201).Id;

        var list = (await client.SendJson(HttpMethod.Get, "api/v1/orders")).ShouldBe(200);
        var ids = list.Json.EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(btc, ids);
        Assert.Contains(eth, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var times = list.Json.EnumerateArray().Select(o => o.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t).ToList(), times); // newest first across groups

        var limited = (await client.SendJson(HttpMethod.Get, "api/v1/orders?limit=1")).ShouldBe(200);
        Assert.Equal([eth], limited.Json.EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToArray());

        // A bad query parameter is refused by every group alike: their answer comes back as it was.
        (await client.SendJson(HttpMethod.Get, "api/v1/orders?status=bogus")).ShouldBeError(400, "invalid_request");

        // A trade in each group (at the marks: the price bands of the other tests stay where they are), then positions
        // and own trades from both.
        using var a1 = groups.Client("A1");
        (await a1.SendJson(HttpMethod.Post, "api/v1/orders", new { symbol = "BTCUSD", side = "buy", type = "limit", tif = "ioc", price = "50000.00", qty = "0.01" })).ShouldBe(201);
        (await a1.SendJson(HttpMethod.Post, "api/v1/orders", new { symbol = "ETHUSD", side = "buy", type = "limit", tif = "ioc", price = "3000.00", qty = "0.1" })).ShouldBe(201);
        var positions = (await client.SendJson(HttpMethod.Get, "api/v1/positions")).ShouldBe(200);
        var symbols = positions.Json.EnumerateArray().Select(p => p.GetProperty("symbol").GetString()).ToList();
        Assert.Equal(["BTCUSD", "ETHUSD"], symbols.Order().ToList());
        var trades = (await client.SendJson(HttpMethod.Get, "api/v1/trades")).ShouldBe(200);
        Assert.Equal(["BTCUSD", "ETHUSD"], trades.Json.EnumerateArray().Select(t => t.GetProperty("symbol").GetString()).Order().ToList());
    }

    [Fact]
    public async Task Account_lists_each_groups_summary_separately()
    {
        using var client = groups.Client("A1");
        var account = (await client.SendJson(HttpMethod.Get, "api/v1/account")).ShouldBe(200);
        Assert.Equal("A1", account.Json.GetProperty("account").GetString());
        var perGroup = account.Json.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal([0, 1], perGroup.Select(g => g.GetProperty("group").GetInt32()).ToArray());
        foreach (var g in perGroup) Assert.True(g.GetProperty("summary").TryGetProperty("limits", out _));
    }

    [Fact]
    public async Task Mass_cancel_with_a_symbol_hits_its_group_only_and_without_one_every_group()
    {
        using var client = groups.Client("A2");
        long btc = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("BTCUSD", "buy", "47000.00", "0.01"))).ShouldBe(201).Id;
        long eth = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("ETHUSD", "buy", "2750.00", "0.1"))).ShouldBe(201).Id;

        var one = (await client.SendJson(HttpMethod.Delete, "api/v1/orders?symbol=ETHUSD")).ShouldBe(200);
        Assert.Contains(eth, one.Json.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()));
        Assert.Equal("new", (await groups.Btc.OrdersAsync("A2"))[btc].GetProperty("status").GetString());
        (await client.SendJson(HttpMethod.Delete, "api/v1/orders?symbol=XRPUSD")).ShouldBeError(400, "unknown_symbol");

        long eth2 = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("ETHUSD", "buy", "2751.00", "0.1"))).ShouldBe(201).Id;
        var all = (await client.SendJson(HttpMethod.Delete, "api/v1/orders")).ShouldBe(200);
        var canceled = all.Json.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).ToList();
        Assert.Contains(btc, canceled);
        Assert.Contains(eth2, canceled);
        Assert.Equal(canceled.Count, all.Json.GetProperty("canceled").GetInt32());
        Assert.DoesNotContain((await groups.Btc.OrdersAsync("A2")).Values, o => o.GetProperty("status").GetString() == "new");
        Assert.DoesNotContain((await groups.Eth.OrdersAsync("A2")).Values, o => o.GetProperty("status").GetString() == "new");
    }

    [Fact]
    public async Task Market_data_reads_go_to_the_symbols_group_and_instruments_come_from_all()
    {
        using var client = groups.Gateway.Client();
        var book = (await client.SendJson(HttpMethod.Get, "api/v1/book/ETHUSD?depth=5")).ShouldBe(200);
        Assert.Equal("ETHUSD", book.Json.GetProperty("symbol").GetString());
        Assert.Equal("1", book.Header("X-Hft-Group"));
        (await client.SendJson(HttpMethod.Get, "api/v1/ticker/BTCUSD")).ShouldBe(200);
        (await client.SendJson(HttpMethod.Get, "api/v1/trades/BTCUSD")).ShouldBe(200);
        (await client.SendJson(HttpMethod.Get, "api/v1/book/XRPUSD")).ShouldBeError(404, "unknown_symbol");
        var instruments = (await client.SendJson(HttpMethod.Get, "api/v1/instruments")).ShouldBe(200);
        Assert.Equal(["BTCUSD", "ETHUSD"], instruments.Json.EnumerateArray().Select(i => i.GetProperty("symbol").GetString()).Order().ToList());
    }

    [Fact]
    public async Task Bad_bodies_are_refused_by_the_gateway_with_the_apis_error_shape()
    {
        using var client = groups.Client();
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("XRPUSD", "buy", "1.00", "1"))).ShouldBeError(400, "unknown_symbol");
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", "{\"symbol\":\"BTCUSD\",")).ShouldBeError(400, "invalid_request");
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", "[1,2]")).ShouldBeError(400, "invalid_request");
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", "{\"side\":\"buy\"}")).ShouldBeError(400, "invalid_request");
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", "{\"symbol\":7}")).ShouldBeError(400, "invalid_request");
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", "")).ShouldBeError(400, "invalid_request");
        // Two symbols: the gateway and the server must never read different ones.
        var twice = "{\"symbol\":\"BTCUSD\",\"symbol\":\"ETHUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"2900\",\"qty\":\"0.1\"}";
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", twice)).ShouldBeError(400, "invalid_request");
        // Escaped field names are the same field.
        var escaped = "{\"sym\\u0062ol\":\"ETHUSD\",\"symbol\":\"BTCUSD\"}";
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", escaped)).ShouldBeError(400, "invalid_request");
        var big = "{\"symbol\":\"BTCUSD\",\"pad\":\"" + new string('x', 20_000) + "\"}";
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", big)).ShouldBeError(413, "payload_too_large");
        var deep = new string('[', 5000) + new string(']', 5000);
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", "{\"a\":" + deep + ",\"symbol\":\"BTCUSD\"}")).ShouldBeError(400, "invalid_request");
        // The servers saw none of them.
        Assert.DoesNotContain((await groups.Btc.OrdersAsync()).Values, o => o.GetProperty("symbol").GetString() != "BTCUSD");
    }

    [Fact]
    public async Task Unrouted_paths_and_methods_get_the_apis_error_shape()
    {
        using var client = groups.Client();
        (await client.SendJson(HttpMethod.Get, "api/v1/nothing")).ShouldBeError(404, "not_found");
        (await client.SendJson(HttpMethod.Get, "ws")).ShouldBeError(404, "not_found");
        (await client.SendJson(HttpMethod.Post, "api/v1/admin/accounts/A1/disable")).ShouldBeError(404, "not_found");
        (await client.SendJson(HttpMethod.Put, "api/v1/orders")).ShouldBeError(404, "not_found");
    }

    [Fact]
    public async Task Hop_by_hop_and_spoofed_headers_are_not_passed_on()
    {
        var token = groups.Btc.Token("A1");
        using var client = groups.Gateway.Client();
        var order = HttpJson.Limit("BTCUSD", "buy", "46000.00", "0.01");

        // "Connection: authorization" makes Authorization hop-by-hop: the server must not see it (401).
        var hop = await client.SendJson(HttpMethod.Post, "api/v1/orders", order, r =>
        {
            r.Headers.Authorization = new("Bearer", token);
            r.Headers.Connection.Add("authorization");
        });
        hop.ShouldBe(401);

        // A Host header naming another place changes nothing: the gateway only talks to configured nodes.
        var host = await client.SendJson(HttpMethod.Post, "api/v1/orders", order, r =>
        {
            r.Headers.Authorization = new("Bearer", token);
            r.Headers.Host = "evil.example:1";
            r.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
            r.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=1");
            r.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic Zm9vOmJhcg==");
        });
        host.ShouldBe(201);
        Assert.Contains(host.Id, (await groups.Btc.OrdersAsync()).Keys);

        // Headers larger than Kestrel allows: refused before routing.
        var huge = await client.SendJson(HttpMethod.Get, "api/v1/orders", configure: r => r.Headers.TryAddWithoutValidation("X-Pad", new string('p', 40_000)));
        Assert.Equal(431, huge.Status);
    }

    [Fact]
    public async Task Auth_goes_to_the_first_groups_leader_and_its_token_works_in_every_group()
    {
        using var anonymous = groups.Gateway.Client();
        var login = (await anonymous.SendJson(HttpMethod.Post, "api/v1/auth/token", new { apiKey = "dev-key-A2" })).ShouldBe(200);
        string token = login.Json.GetProperty("token").GetString()!;
        using var client = groups.Gateway.Client(token);
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("ETHUSD", "buy", "2900.00", "0.1"))).ShouldBe(201);
        (await anonymous.SendJson(HttpMethod.Get, "api/v1/orders")).ShouldBe(401);
    }

    [Fact]
    public async Task Health_ready_status_and_metrics_describe_the_groups()
    {
        using var client = groups.Gateway.Client();
        (await client.SendJson(HttpMethod.Get, "health")).ShouldBe(200);
        Assert.Equal("ready", (await client.SendJson(HttpMethod.Get, "ready")).ShouldBe(200).Json.GetProperty("status").GetString());
        var status = (await client.SendJson(HttpMethod.Get, "routing/status")).ShouldBe(200);
        var g1 = status.Json.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("group").GetInt32() == 1);
        Assert.Equal(groups.Eth.BaseUrl, g1.GetProperty("leader").GetString());
        Assert.Equal(0, await groups.Gateway.MetricAsync("hft_router_group_leader{group=\"1\"}"));
        Assert.Equal(1, await groups.Gateway.MetricAsync($"hft_router_node_up{{group=\"0\",node=\"{groups.Btc.BaseUrl}\"}}"));
        Assert.True(await groups.Gateway.MetricAsync("hft_router_leader_changes_total{group=\"0\"}") >= 1);
        var metrics = await client.GetStringAsync("metrics");
        Assert.Contains("hft_router_forward_seconds_bucket", metrics, StringComparison.Ordinal);
    }
}
