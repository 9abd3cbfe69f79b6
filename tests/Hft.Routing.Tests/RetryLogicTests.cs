using Hft.Routing.Tests.Support;

namespace Hft.Routing.Tests;

/// <summary>
/// The one-retry rule. A refusal (421 not_leader, or a connection nobody accepts) is retried once, on the hinted node or
/// the next leader the polls find; a timeout or a reset after the request went out is never re-sent (503 upstream_error).
/// The nodes that refuse, hang or reset are <see cref="RetryLogicPeer"/>s; the orders that succeed land on real servers.
/// </summary>
public sealed class RetryLogicTests
{
    [Fact]
    public async Task A_not_leader_answer_is_retried_once_on_the_hinted_leader()
    {
        await using var real = await GroupServer.StartAsync(0, ["BTCUSD"]);
        await using var stale = await RetryLogicPeer.StartAsync(0, RetryLogicPeer.Mode.NotLeader, leaderHint: real.BaseUrl + "/");
        await using var gateway = await Gateway.StartAsync(Gateway.Config([(0, ["BTCUSD"], [stale.BaseUrl, real.BaseUrl])]));
        Assert.Equal(stale.BaseUrl, gateway.Router.Groups[0].Leader?.Name); // the peer claims to lead

        using var client = gateway.Client(real.Token());
        var placed = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("BTCUSD", "buy", "49000.00", "0.01", "retry-421"))).ShouldBe(201);
        Assert.Equal(1, stale.Orders);
        Assert.Equal("retry-421", (await real.OrdersAsync())[placed.Id].GetProperty("clientOrderId").GetString());
        Assert.Equal(1, await gateway.MetricAsync("hft_router_requests_total{group=\"0\",outcome=\"forwarded_after_retry\"}"));
    }

    [Fact]
    public async Task A_not_leader_answer_without_another_leader_is_503_leader_unavailable_after_one_attempt()
    {
        await using var stale = await RetryLogicPeer.StartAsync(0, RetryLogicPeer.Mode.NotLeader, leaderHint: null);
        await using var gateway = await Gateway.StartAsync(Gateway.Config([(0, ["BTCUSD"], [stale.BaseUrl])]));
        using var client = gateway.Client("not-checked-by-the-peer");
        (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("BTCUSD", "buy", "49000.00", "0.01")))
            .ShouldBeError(503, "leader_unavailable");
        Assert.Equal(1, stale.Orders);
    }

    [Theory]
    [InlineData(RetryLogicPeer.Mode.Hang)]
    [InlineData(RetryLogicPeer.Mode.Reset)]
    public async Task A_timeout_or_reset_after_sending_is_503_upstream_error_and_never_resent(RetryLogicPeer.Mode mode)
    {
        await using var peer = await RetryLogicPeer.StartAsync(0, mode);
        // The default 5 s upstream timeout: a shorter one (800 ms) let a busy machine's slow answer to the read below
        // time out too (503 where 404 was due). A hang costs the test 5 s per request, a reset nothing.
        await using var gateway = await Gateway.StartAsync(Gateway.Config([(0, ["BTCUSD"], [peer.BaseUrl])]));
        using var client = gateway.Client("not-checked-by-the-peer");
        // A read first, so that the order goes out on a reused connection (where a transport may be tempted to retry).
        (await client.SendJson(HttpMethod.Get, "api/v1/book/BTCUSD")).ShouldBe(404);
        var message = (await client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("BTCUSD", "buy", "49000.00", "0.01", "once")))
            .ShouldBeError(503, "upstream_error");
        Assert.Contains("clientOrderId", message, StringComparison.Ordinal);
        (await client.SendJson(HttpMethod.Delete, "api/v1/orders/5")).ShouldBeError(503, "upstream_error"); // no body: must not be re-sent either
        await Task.Delay(300); // a re-send, if any, would arrive now
        Assert.Equal(2, peer.Orders);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_once_when_the_polls_find_the_leader_again()
    {
        var first = await GroupServer.StartAsync(0, ["BTCUSD"]);
        int port = first.Port;
        // Polls every minute: only the refusal makes the gateway look again (then every 50 ms while the order waits).
        await using var gateway = await Gateway.StartAsync(Gateway.Config([(0, ["BTCUSD"], [first.BaseUrl])], pollMs: 60_000, timeoutMs: 15_000));
        string token = first.Token();
        await first.DisposeAsync(); // the leader goes away; the gateway still believes in it
        Assert.NotNull(gateway.Router.Groups[0].Leader);

        using var client = gateway.Client(token);
        var order = client.SendJson(HttpMethod.Post, "api/v1/orders", HttpJson.Limit("BTCUSD", "buy", "49000.00", "0.01", "after-restart"));
        await Task.Delay(300);
        await using var again = await GroupServer.StartAsync(0, ["BTCUSD"], port); // back on the same address
        var placed = (await order).ShouldBe(201);
        Assert.Equal("after-restart", (await again.OrdersAsync())[placed.Id].GetProperty("clientOrderId").GetString());
        Assert.Equal(1, await gateway.MetricAsync("hft_router_requests_total{group=\"0\",outcome=\"forwarded_after_retry\"}"));
    }
}
