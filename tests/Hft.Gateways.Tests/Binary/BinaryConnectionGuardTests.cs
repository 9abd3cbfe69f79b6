using System.Diagnostics;
using Hft.Configuration;
using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Gateways.Tests.Support;
using static Hft.Gateways.Tests.Support.GatewayFixture;

namespace Hft.Gateways.Tests.Binary;

/// <summary>
/// What a connection may cost before it logs on ([security]: connections per address, connections waiting to log
/// on, the login deadline; memory), and the session places of [gateway] that only logged-on sessions take.
/// </summary>
public class BinaryConnectionGuardTests
{
    internal static Func<HftConfig, HftConfig> With(Func<SecurityConfig, SecurityConfig>? security = null, Func<GatewayConfig, GatewayConfig>? gateway = null)
        => c => c with { Security = security?.Invoke(c.Security) ?? c.Security, Gateway = gateway?.Invoke(c.Gateway) ?? c.Gateway };

    internal static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }

    private static async Task<List<RawConnection>> IdleAsync(GatewayFixture s, int count)
    {
        var idle = new List<RawConnection>();
        for (int i = 0; i < count; i++) idle.Add(await RawConnection.ConnectAsync(s.Port));
        await WaitUntil(() => s.Gateway.SessionCount == count, $"the gateway holds {count} connections");
        return idle;
    }

    [Fact]
    public async Task Connections_beyond_the_limit_per_address_are_refused_at_accept_with_a_notice()
    {
        await using var s = await StartAsync(With(security => security with { MaxConnectionsPerAddress = 3 }));
        var idle = await IdleAsync(s, 3);
        using (var refused = await RawConnection.ConnectAsync(s.Port))
            Assert.Equal(DisconnectReason.ConnectionLimit, await refused.ClosedAsync());
        Assert.Contains("hft_gateway_disconnects_total{protocol=\"binary\",reason=\"connection_limit\"} 1", await s.MetricsAsync());
        Assert.Equal(3, s.Gateway.SessionCount);

        idle[0].Dispose(); // a place frees up once a connection ends
        await WaitUntil(() => s.Gateway.SessionCount == 2, "the closed connection ended");
        using var admitted = await RawConnection.ConnectAsync(s.Port);
        Assert.Equal(MessageType.LoginAccepted, (await admitted.LoginAsync(KeyA1)).Type);
        foreach (var c in idle) c.Dispose();
    }

    [Fact]
    public async Task Connections_waiting_to_log_on_are_bounded_and_a_logged_on_session_no_longer_counts()
    {
        await using var s = await StartAsync(With(security => security with { MaxUnauthenticated = 2 }));
        var idle = await IdleAsync(s, 2);
        using (var refused = await RawConnection.ConnectAsync(s.Port))
            Assert.Equal(DisconnectReason.ConnectionLimit, await refused.ClosedAsync());

        Assert.Equal(MessageType.LoginAccepted, (await idle[0].LoginAsync(KeyA1)).Type);
        using var next = await RawConnection.ConnectAsync(s.Port);
        Assert.Equal(MessageType.LoginAccepted, (await next.LoginAsync(KeyA2)).Type);
        foreach (var c in idle) c.Dispose();
    }

    [Fact]
    public async Task A_connection_that_does_not_log_on_in_time_is_closed_and_logged_on_sessions_are_not()
    {
        await using var s = await StartAsync(With(security => security with { LoginTimeoutSeconds = 1 }));
        var live = await s.LoginAsync();
        var clock = Stopwatch.StartNew();
        using var silent = await RawConnection.ConnectAsync(s.Port);
        Assert.Equal(DisconnectReason.LoginTimeout, await silent.ClosedAsync());
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"closed after {clock.ElapsedMilliseconds} ms, before the deadline");
        Assert.Contains("hft_gateway_disconnects_total{protocol=\"binary\",reason=\"login_timeout\"} 1", await s.MetricsAsync());

        live.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
        await live.ExpectAsync(MessageType.OrderAccepted);
        Assert.False(live.Closed.IsCompleted);
    }

    [Fact]
    public async Task Connections_that_never_log_on_take_no_session_place()
    {
        await using var s = await StartAsync(With(gateway: gateway => gateway with { BinaryMaxSessions = 1, BinaryMaxSessionsPerAccount = 1 }));
        var idle = await IdleAsync(s, 3);
        var client = await s.LoginAsync();
        client.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
        await client.ExpectAsync(MessageType.OrderAccepted);
        foreach (var c in idle) c.Dispose();
    }

    [Fact]
    public async Task A_login_beyond_the_session_limit_is_rejected_and_a_place_frees_up_at_logout()
    {
        await using var s = await StartAsync(With(gateway: gateway => gateway with { BinaryMaxSessions = 2, BinaryMaxSessionsPerAccount = 2 }));
        var first = await s.LoginAsync(KeyA1);
        await s.LoginAsync(KeyA2);
        var extra = await s.ConnectAsync();
        var reply = await extra.LoginAsync(AuthKind.ApiKey, KeyA1);
        Assert.Equal((MessageType.LoginRejected, LoginRejectReason.SessionLimit), (reply.Type, (LoginRejectReason)reply.Reason));
        Assert.Null(await extra.ClosedAsync()); // LoginRejected said why: no Logout follows
        Assert.Contains("hft_gateway_disconnects_total{protocol=\"binary\",reason=\"session_limit\"} 1", await s.MetricsAsync());

        first.SendLogout();
        await first.ClosedAsync();
        await WaitUntil(() => s.Gateway.SessionCount == 1, "the logged-out and the refused sessions ended");
        await s.LoginAsync(KeyA1);
    }

    [Fact]
    public async Task One_account_cannot_take_every_session()
    {
        await using var s = await StartAsync(With(gateway: gateway => gateway with { BinaryMaxSessions = 4, BinaryMaxSessionsPerAccount = 2 }));
        await s.LoginAsync(KeyA1);
        await s.LoginAsync(KeyA1);
        var third = await s.ConnectAsync();
        var reply = await third.LoginAsync(AuthKind.ApiKey, KeyA1);
        Assert.Equal((MessageType.LoginRejected, LoginRejectReason.AccountSessionLimit), (reply.Type, (LoginRejectReason)reply.Reason));
        Assert.Null(await third.ClosedAsync());

        var other = await s.LoginAsync(KeyA2);
        other.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
        await other.ExpectAsync(MessageType.OrderAccepted);
    }
}
