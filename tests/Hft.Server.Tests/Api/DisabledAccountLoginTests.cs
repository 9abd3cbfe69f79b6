using System.Net;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// A disabled account (<c>enabled = false</c> in its [[accounts]] entry, or the admin kill switch) gets no tokens:
/// login with its API key and refresh of a session it opened earlier are refused with 403 <c>account_disabled</c>,
/// audited; enabling it again lets it log in. Tokens issued before the kill switch can enter no order (403
/// account_disabled) but still read the account's own data until they expire (revoke-sessions ends them at once).
/// </summary>
public sealed class DisabledAccountLoginTests
{
    [Fact]
    public async Task An_account_disabled_in_the_configuration_cannot_log_in()
    {
        await using var s = await ServerFixture.StartAsync(c => c with
        {
            Accounts = c.Accounts.Select(a => a.Id == "A2" ? a with { Enabled = false } : a).ToList(),
        });
        var message = (await s.PostAsync("/api/v1/auth/token", null, new { apiKey = "dev-key-A2" })).ShouldBeError(HttpStatusCode.Forbidden, "account_disabled");
        Assert.Contains("A2", message, StringComparison.Ordinal);
        var failed = Assert.Single(s.AuditOf("rest.login_failed"));
        Assert.Equal(("A2", "A2"), (failed.GetProperty("subject").GetString(), failed.GetProperty("target").GetString()));
        Assert.Empty(s.AuditOf("auth.token"));
        (await s.PostAsync("/api/v1/auth/token", null, new { apiKey = "dev-key-A1" })).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_kill_switch_stops_logins_and_refreshes_until_the_account_is_enabled_again()
    {
        await using var s = await ServerFixture.StartAsync();
        var session = (await s.PostAsync("/api/v1/auth/token", null, new { apiKey = "dev-key-A1" })).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(HttpMethod.Post, "/accounts/A1/disable")).ShouldBe(HttpStatusCode.OK);

        // a token issued before: order entry refused (403 account_disabled), its own data still readable until it expires
        string earlier = session.Str("token")!;
        (await s.PlaceLimitAsync(earlier, "BTCUSD", "buy", "45000", "0.01")).ShouldBeError(HttpStatusCode.Forbidden, "account_disabled");
        (await s.GetAsync("/api/v1/account", earlier)).ShouldBe(HttpStatusCode.OK);

        (await s.PostAsync("/api/v1/auth/token", null, new { apiKey = "dev-key-A1" })).ShouldBeError(HttpStatusCode.Forbidden, "account_disabled");
        (await s.PostAsync("/api/v1/auth/refresh", null, new { refreshToken = session.Str("refreshToken") }))
            .ShouldBeError(HttpStatusCode.Forbidden, "account_disabled");
        Assert.Single(s.AuditOf("rest.login_failed"));
        var refresh = s.AuditOf("auth.refresh");
        Assert.Equal("denied: account A1 is disabled", Assert.Single(refresh).GetProperty("result").GetString());
        Assert.DoesNotContain(s.AuditLines(), l => l.GetProperty("action").GetString() == "auth.denied"
            && l.GetProperty("target").GetString()!.StartsWith("POST /api/v1/auth/", StringComparison.Ordinal)); // audited once each

        (await s.AdminAsync(HttpMethod.Post, "/accounts/A1/enable")).ShouldBe(HttpStatusCode.OK);
        (await s.PostAsync("/api/v1/auth/token", null, new { apiKey = "dev-key-A1" })).ShouldBe(HttpStatusCode.OK);
    }
}
