using System.Net;
using System.Net.Sockets;
using Hft.Routing.Tests.Support;
using Hft.Tools;

namespace Hft.Routing.Tests;

/// <summary>A group whose nodes are all down: 503 leader_unavailable in time, /ready says which, fan-outs report partially.</summary>
public sealed class LeaderUnavailableTests
{
    private static string DeadUrl() => $"http://127.0.0.1:{Loopback.FreePort()}";

    [Fact]
    public async Task No_leader_within_the_timeout_is_503_and_the_gateway_is_not_ready()
    {
        await using var btc = await GroupServer.StartAsync(0, ["BTCUSD"]);
        await using var gateway = await Gateway.StartAsync(Gateway.Config([(0, ["BTCUSD"], [btc.BaseUrl]), (1, ["ETHUSD"], [DeadUrl()])], timeoutMs: 5000));
        using var client = gateway.Client(btc.Token());

        var message = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("ETHUSD", "buy", "2900.00", "0.1")))
            .ShouldBeError(503, "leader_unavailable");
        Assert.Contains("group 1", message, StringComparison.Ordinal);
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("BTCUSD", "buy", "49000.00", "0.01"))).ShouldBe(201);
        (await client.SendJson(HttpMethod.Get, "api/v1/book/ETHUSD")).ShouldBeError(503, "group_unavailable");

        var ready = (await client.SendJson(HttpMethod.Get, "ready")).ShouldBe(503);
        Assert.Equal(["group 1: no leader known"], ready.Json.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList());

        // A fan-out: group 0 answered, group 1 could not; both answers are reported, nothing is merged silently.
        var list = await client.SendJson(HttpMethod.Get, "api/v1/orders");
        list.ShouldBeError(503, "partial_failure");
        var perGroup = list.Json.GetProperty("error").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(200, perGroup[0].GetProperty("status").GetInt32());
        Assert.Equal(503, perGroup[1].GetProperty("status").GetInt32());
        Assert.Equal(-1, await gateway.MetricAsync("hft_router_group_leader{group=\"1\"}"));
        Assert.True(await gateway.MetricAsync("hft_router_requests_total{group=\"1\",outcome=\"leader_unavailable\"}") >= 1);
    }

    [Fact]
    public async Task A_node_reporting_another_group_is_never_used()
    {
        // The peer says it leads group 7; configured in group 0, it must not get group 0's orders.
        await using var wrong = await RetryLogicPeer.StartAsync(7, RetryLogicPeer.Mode.NotLeader);
        await using var gateway = await Gateway.StartAsync(Gateway.Config([(0, ["BTCUSD"], [wrong.BaseUrl])], timeoutMs: 400));
        using var client = gateway.Client("x");
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("BTCUSD", "buy", "49000.00", "0.01"))).ShouldBeError(503, "leader_unavailable");
        Assert.Equal(0, wrong.Orders);
        var status = (await client.SendJson(HttpMethod.Get, "routing/status")).ShouldBe(200);
        Assert.Contains("reports group 7", status.Text, StringComparison.Ordinal);
    }
}
