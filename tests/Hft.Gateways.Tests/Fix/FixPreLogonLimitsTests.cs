using Hft.Configuration;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// What a connection may cost before its Logon: the [security] connection limits at accept, the login timeout, and
/// framing errors that end the connection at once (BodyLength above the maximum, garbage where the Logon should be).
/// </summary>
public class FixPreLogonLimitsTests
{
    private static Func<HftConfig, HftConfig> Security(Func<SecurityConfig, SecurityConfig> change) => c => c with { Security = change(c.Security) };

    // Long enough that a close observed within Bounded.Generous cannot be the login timeout.
    private const int PatientLoginTimeout = 120;

    [Fact]
    public async Task A_connection_that_does_not_log_on_in_time_is_closed()
    {
        var clock = new ManualTimerClock();
        await using var f = await FixServerFixture.StartAsync(gatewayClock: clock); // [security] login_timeout_seconds = 5
        int timeout = f.Server.Config.Security.LoginTimeoutSeconds;
        using var silent = RawFixSocket.Connect(f.Port);
        using var slow = RawFixSocket.Connect(f.Port);
        slow.Send("8=FIX.4.4|9=70|35=A|34=1|"); // a Logon that never completes
        await using var trader = await f.LogonAsync(); // logged on in time: its timer is gone
        await Bounded.UntilAsync(() => clock.Armed == 2, "the two waiting connections' login timers are armed");

        clock.Advance(TimeSpan.FromSeconds(timeout - 1));
        Assert.True(silent.IsOpen && slow.IsOpen, "open before the login timeout");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(silent.WaitClosed(Bounded.Generous), "a silent connection is closed at the login timeout");
        Assert.True(slow.WaitClosed(Bounded.Generous), "a trickling Logon is closed at the login timeout");
        Assert.Equal("", silent.ReceivedText + slow.ReceivedText);
        await Bounded.UntilAsync(async () => await f.DisconnectsAsync("login_timeout") == 2, "both counted as login_timeout");

        trader.Send("1", Hft.Client.FixClient.Body("112=still"));
        Assert.Equal("still", trader.Expect(m => m.MsgType == "0")[FixTags.TestReqId]);
    }

    [Fact]
    public async Task Connections_beyond_the_per_address_limit_are_refused_at_accept()
    {
        await using var f = await FixServerFixture.StartAsync(Security(s => s with { MaxConnectionsPerAddress = 3, LoginTimeoutSeconds = PatientLoginTimeout }));
        var held = Enumerable.Range(0, 3).Select(_ => RawFixSocket.Connect(f.Port)).ToList();
        try
        {
            using (var fourth = RawFixSocket.Connect(f.Port))
                Assert.True(fourth.WaitClosed(Bounded.Generous), "a fourth connection from the address is closed at once");
            Assert.All(held, h => Assert.True(h.IsOpen, "the admitted connections stay open"));

            held[0].Dispose(); // its place is free again once the acceptor sees it closed
            held.RemoveAt(0);
            Hft.Client.FixClient? c = null;
            await Bounded.UntilAsync(async () =>
            {
                var attempt = await f.ConnectAsync();
                try
                {
                    if (attempt.Logon(FixServerFixture.PasswordA1, timeout: TimeSpan.FromSeconds(5)).MsgType == "A")
                    {
                        c = attempt;
                        return true;
                    }
                }
                catch (TimeoutException)
                {
                }
                await attempt.DisposeAsync();
                return false;
            }, "a logon once a place is free");
            await using (c)
            {
                c!.NewOrder("P1", "BTCUSD", '1', "0.1", "49000.00");
                Assert.Equal("0", c.Expect(m => m.MsgType == "8")[FixTags.ExecType]);
            }
        }
        finally
        {
            foreach (var h in held) h.Dispose();
        }
    }

    [Fact]
    public async Task Connections_waiting_to_log_on_beyond_the_limit_are_refused_while_logged_on_sessions_trade()
    {
        await using var f = await FixServerFixture.StartAsync(Security(s => s with { MaxUnauthenticated = 2, LoginTimeoutSeconds = PatientLoginTimeout }));
        await using var trader = await f.LogonAsync(); // logged on: no longer waiting
        using var first = RawFixSocket.Connect(f.Port);
        using var second = RawFixSocket.Connect(f.Port);
        using (var third = RawFixSocket.Connect(f.Port))
            Assert.True(third.WaitClosed(Bounded.Generous), "a third waiting connection is closed at once");
        Assert.True(first.IsOpen && second.IsOpen, "the admitted connections stay open");
        trader.NewOrder("T1", "BTCUSD", '1', "0.1", "49000.00");
        Assert.Equal("0", trader.Expect(m => m.MsgType == "8")[FixTags.ExecType]);
    }

    [Theory]
    [InlineData("8=FIX.4.4|9=99999999|35=A|")]
    [InlineData("8=FIX.4.4|9=123456789012")] // no delimiter needed: the digits alone are over the maximum
    [InlineData("8=FIX.4.4|9=8193|35=A|")]
    public async Task A_body_length_above_the_maximum_before_logon_ends_the_connection_at_once(string start)
    {
        await using var f = await FixServerFixture.StartAsync(Security(s => s with { LoginTimeoutSeconds = PatientLoginTimeout }));
        using var c = RawFixSocket.Connect(f.Port);
        c.Send(start);
        Assert.True(c.WaitClosed(Bounded.Generous), "closed without waiting for the body");
        Assert.Equal("", c.ReceivedText);
    }

    [Fact]
    public async Task A_body_length_of_eight_digits_after_logon_gets_a_logout_and_a_disconnect()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.SendRaw("8=FIX.4.4\u00019=99999999\u000135=D\u0001"u8);
        var logout = c.Expect(m => m.MsgType == "5");
        Assert.Contains("longer than", logout[FixTags.Text]);
        await Bounded.UntilAsync(() => c.Closed, "the connection is closed after the Logout");
    }

    [Theory]
    [InlineData("GET / HTTP/1.1|Host: x||")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003")] // a TLS ClientHello
    [InlineData("8=FIX.4.4|9=5|35=0|10=000|")] // wrong BodyLength
    [InlineData("8=FIX.4.2|9=5|35=A|10=000|")] // another FIX version
    public async Task Garbage_where_the_logon_should_be_ends_the_connection_at_once(string garbage)
    {
        await using var f = await FixServerFixture.StartAsync(Security(s => s with { LoginTimeoutSeconds = PatientLoginTimeout }));
        using var c = RawFixSocket.Connect(f.Port);
        c.Send(garbage);
        Assert.True(c.WaitClosed(Bounded.Generous), "closed at once, not at the login timeout");
        Assert.Equal("", c.ReceivedText);
    }
}
