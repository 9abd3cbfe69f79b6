using System.Net;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>Failed FIX Logons go through the node's login throttle: audited, and repeated failures lock out on every gateway.</summary>
public class FixLoginThrottleTests
{
    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_out_even_for_the_right_password()
    {
        await using var f = await FixServerFixture.StartAsync(); // [security] defaults: 5 failures within 60 s lock out for 60 s
        int failures = f.Server.Config.Security.LoginMaxFailures;
        for (int i = 0; i < failures; i++)
        {
            await using var guess = await f.ConnectAsync();
            var refused = guess.Logon("guess-" + i);
            Assert.Equal("5", refused.MsgType);
            Assert.Contains("invalid credentials", refused[FixTags.Text]);
        }

        await using (var right = await f.ConnectAsync())
        {
            var refused = right.Logon(FixServerFixture.PasswordA1);
            Assert.Equal("5", refused.MsgType);
            Assert.Contains("locked out", refused[FixTags.Text]);
            await Bounded.UntilAsync(() => right.Closed, "the locked-out connection is closed");
        }

        var failed = await AuditLine.WaitForAsync(f.AuditLogPath, l => l.Action == "fix.login_failed", failures);
        Assert.All(failed, l => Assert.Equal(("A1", "refused", "127.0.0.1"), (l.Subject, l.Result, l.Remote)));
        await AuditLine.WaitForAsync(f.AuditLogPath, l => l.Action == "auth.lockout");
        await AuditLine.WaitForAsync(f.AuditLogPath, l => l.Action == "fix.login_locked" && l.Subject == "A1");
    }

    [Fact]
    public async Task A_lockout_caused_on_another_gateway_refuses_the_fix_logon_of_that_account()
    {
        await using var f = await FixServerFixture.StartAsync();
        var elsewhere = IPAddress.Parse("192.0.2.7");
        for (int i = 0; i < f.Server.Config.Security.LoginMaxFailures; i++)
            f.Server.Logins!.Failed("binary", "A1", elsewhere, "invalid credentials");

        await using (var c = await f.ConnectAsync())
        {
            var refused = c.Logon(FixServerFixture.PasswordA1);
            Assert.Equal("5", refused.MsgType);
            Assert.Contains("locked out", refused[FixTags.Text]);
        }
        await using var other = await f.LogonAsync("CLIENT_A2"); // another account from the same address is not affected
        other.NewOrder("O1", "BTCUSD", '1', "0.1", "49000.00");
        Assert.Equal("0", other.Expect(m => m.MsgType == "8")[FixTags.ExecType]);
    }
}
