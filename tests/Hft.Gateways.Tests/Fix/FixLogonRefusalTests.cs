using Hft.Client;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// A refused Logon is answered with a Logout saying why, the connection is closed, the refusal is audited, and the
/// session it named does not change: a live connection keeps its sequence numbers and its resend store.
/// </summary>
public class FixLogonRefusalTests
{
    [Fact]
    public async Task A_second_logon_with_reset_is_refused_and_the_live_session_keeps_its_numbers()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var live = await f.LogonAsync();
        live.NewOrder("L1", "BTCUSD", '1', "0.1", "49000.00");
        var ack = live.Expect(m => m.MsgType == "8");

        await using (var second = await f.ConnectAsync())
        {
            var refused = second.Logon(FixServerFixture.PasswordA1, reset: true);
            Assert.Equal("5", refused.MsgType);
            Assert.Contains("already logged on", refused[FixTags.Text]);
            await Bounded.UntilAsync(() => second.Closed, "the refused connection is closed");
        }

        AssertSessionGoesOn(live, ack.SeqNum);
        live.Send("2", FixClient.Body($"7={ack.SeqNum}|16={ack.SeqNum}")); // the resend store still holds the ack
        var again = live.Expect(m => m.MsgType == "8");
        Assert.Equal(("L1", "Y", ack.SeqNum), (again[FixTags.ClOrdId], again[FixTags.PossDupFlag], again.SeqNum));

        var audited = await AuditLine.WaitForAsync(f.AuditLogPath, l => l.Action == "fix.logon_refused");
        Assert.Equal(("A1", "CLIENT_A1", "127.0.0.1"), (audited[0].Subject, audited[0].Target, audited[0].Remote));
        Assert.Contains("already logged on", audited[0].Detail);
    }

    [Fact]
    public async Task A_wrong_password_for_a_logged_on_session_is_refused_without_touching_it()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var live = await f.LogonAsync();
        live.Send("1", FixClient.Body("112=before"));
        long lastIn = live.Expect(m => m.MsgType == "0").SeqNum;

        await using (var intruder = await f.ConnectAsync())
        {
            var refused = intruder.Logon("not-the-password", reset: true);
            Assert.Equal("5", refused.MsgType);
            Assert.Contains("invalid credentials", refused[FixTags.Text]);
            await Bounded.UntilAsync(() => intruder.Closed, "the refused connection is closed");
        }

        AssertSessionGoesOn(live, lastIn);
        await AuditLine.WaitForAsync(f.AuditLogPath, l => l.Action == "fix.login_failed" && l.Subject == "A1");
    }

    [Fact]
    public async Task A_disabled_account_cannot_log_on()
    {
        await using var f = await FixServerFixture.StartAsync();
        Assert.True(f.Server.Pipeline.Accounts.TryGet("A1", out int a1));
        f.Server.Pipeline.Operators.SetAccountEnabled(a1, false);

        await using (var c = await f.ConnectAsync())
        {
            var refused = c.Logon(FixServerFixture.PasswordA1);
            Assert.Equal("5", refused.MsgType);
            Assert.Contains("account disabled", refused[FixTags.Text]);
            await Bounded.UntilAsync(() => c.Closed, "the refused connection is closed");
        }
        var audited = await AuditLine.WaitForAsync(f.AuditLogPath, l => l.Action == "fix.login_failed");
        Assert.Equal(("A1", "refused", "account disabled"), (audited[0].Subject, audited[0].Result, audited[0].Detail));

        f.Server.Pipeline.Operators.SetAccountEnabled(a1, true);
        await using var again = await f.LogonAsync();
        again.NewOrder("E1", "BTCUSD", '1', "0.1", "49000.00");
        Assert.Equal("0", again.Expect(m => m.MsgType == "8")[FixTags.ExecType]);
    }

    /// <summary>The next message of the live connection continues its numbering: no ResendRequest, no reset.</summary>
    private static void AssertSessionGoesOn(FixClient live, long lastIn)
    {
        live.Send("1", FixClient.Body("112=after"));
        var next = live.Expect(m => m.MsgType is "0" or "2" or "4" or "5");
        Assert.Equal(("0", "after", lastIn + 1), (next.MsgType, next[FixTags.TestReqId], next.SeqNum));
    }
}
