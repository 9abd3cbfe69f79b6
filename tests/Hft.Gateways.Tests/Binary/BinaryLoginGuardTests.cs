using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hft.Client;
using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Gateways.Tests.Support;
using Hft.Auth;
using static Hft.Gateways.Tests.Support.GatewayFixture;

namespace Hft.Gateways.Tests.Binary;

/// <summary>
/// Failed binary logins go through the node's login throttle ([security] login_max_failures = 5 within 60 s lock out
/// for 60 s): audited, locked out across gateways, and a disabled account cannot log on.
/// </summary>
public class BinaryLoginGuardTests
{
    private static readonly IPAddress s_elsewhere = IPAddress.Parse("192.0.2.9");

    /// <summary>One login on a connection of its own, closed after the answer (so no connection lingers on the server).</summary>
    private static async Task<LoginRejectReason?> TryLoginAsync(GatewayFixture s, string key)
    {
        using var client = await BinaryClient.ConnectAsync("127.0.0.1", s.Port);
        var reply = await client.LoginAsync(AuthKind.ApiKey, key);
        if (reply.Type == MessageType.LoginAccepted) return null;
        Assert.Equal(MessageType.LoginRejected, reply.Type);
        return (LoginRejectReason)reply.Reason;
    }

    private static List<JsonElement> AuditLines(GatewayFixture s)
        => File.ReadAllLines(s.Server.Audit.Path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static int Count(List<JsonElement> lines, string action) => lines.Count(l => l.GetProperty("action").GetString() == action);

    [Fact]
    public async Task Guessing_keys_locks_the_address_out_even_for_the_right_key_and_every_failure_is_audited()
    {
        await using var s = await StartAsync();
        var answers = new List<LoginRejectReason?>();
        for (int i = 0; i < 40; i++) answers.Add(await TryLoginAsync(s, $"guess-{i}"));
        Assert.All(answers.Take(5), a => Assert.Equal(LoginRejectReason.BadCredentials, a));
        Assert.All(answers.Skip(5), a => Assert.Equal(LoginRejectReason.LockedOut, a));
        Assert.Equal(LoginRejectReason.LockedOut, await TryLoginAsync(s, KeyA1));

        var lines = AuditLines(s);
        var failed = lines.Where(l => l.GetProperty("action").GetString() == "binary.login_failed").ToList();
        Assert.Equal(5, failed.Count);
        Assert.All(failed, l => Assert.Equal(("anonymous", "127.0.0.1", "bad credentials"),
            (l.GetProperty("subject").GetString(), l.GetProperty("remote").GetString(), l.GetProperty("detail").GetString())));
        Assert.Equal(1, Count(lines, "auth.lockout"));
        Assert.True(Count(lines, "binary.login_locked") >= 1); // the rest over 20 lines/s are summed up in audit.suppressed
    }

    [Fact]
    public async Task An_account_locked_out_by_failures_on_another_gateway_cannot_log_on_here()
    {
        await using var s = await StartAsync();
        for (int i = 0; i < 5; i++) s.Server.Logins!.Failed("fix", "A2", s_elsewhere, "wrong password");
        Assert.Equal(LoginRejectReason.LockedOut, await TryLoginAsync(s, KeyA2));
        Assert.Null(await TryLoginAsync(s, KeyA1)); // the address itself is not locked out
        var locked = Assert.Single(AuditLines(s), l => l.GetProperty("action").GetString() == "binary.login_locked");
        Assert.Equal("A2", locked.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_successful_login_starts_its_accounts_failure_count_over()
    {
        await using var s = await StartAsync();
        for (int i = 0; i < 4; i++) s.Server.Logins!.Failed("fix", "A1", s_elsewhere, "wrong password");
        Assert.Null(await TryLoginAsync(s, KeyA1)); // the binary login clears A1's 4 failures
        for (int i = 0; i < 4; i++) s.Server.Logins!.Failed("fix", "A1", s_elsewhere, "wrong password");
        Assert.Null(await TryLoginAsync(s, KeyA1)); // 8 failures in all, never 5 since a success: not locked out
        for (int i = 0; i < 5; i++) s.Server.Logins!.Failed("fix", "A1", s_elsewhere, "wrong password");
        Assert.Equal(LoginRejectReason.LockedOut, await TryLoginAsync(s, KeyA1)); // 5 since the last success
    }

    private static async Task DisableAsync(GatewayFixture s, string account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/accounts/{account}/disable");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.Tokens.Mint("ADMIN", Roles.Admin));
        using var response = await s.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_disabled_account_cannot_log_on_and_the_refusal_is_audited()
    {
        await using var s = await StartAsync();
        await DisableAsync(s, "A1");
        Assert.Equal(LoginRejectReason.AccountDisabled, await TryLoginAsync(s, KeyA1));
        var failed = Assert.Single(AuditLines(s), l => l.GetProperty("action").GetString() == "binary.login_failed");
        Assert.Equal(("A1", "A1", "refused", "account disabled"), (failed.GetProperty("subject").GetString(), failed.GetProperty("target").GetString(),
            failed.GetProperty("result").GetString(), failed.GetProperty("detail").GetString()));
        Assert.Null(await TryLoginAsync(s, KeyA2));
    }

    [Fact]
    public async Task Sessions_of_an_account_disabled_while_logged_on_end_and_other_accounts_keep_trading()
    {
        await using var s = await StartAsync();
        var disabled = await s.LoginAsync(KeyA1);
        disabled.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
        await disabled.ExpectAsync(MessageType.OrderAccepted);
        var other = await s.LoginAsync(KeyA2);

        await DisableAsync(s, "A1");
        Assert.Equal(DisconnectReason.AccountDisabled, await disabled.ClosedAsync());
        Assert.Equal(LoginRejectReason.AccountDisabled, await TryLoginAsync(s, KeyA1));
        other.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
        await other.ExpectAsync(MessageType.OrderAccepted);
        Assert.False(other.Closed.IsCompleted);
    }
}
