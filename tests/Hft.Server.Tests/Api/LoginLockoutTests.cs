using System.Net;
using System.Net.WebSockets;
using Hft.Server.Tests.MarketData;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// Failed logins on <c>POST /api/v1/auth/token</c> (unknown API keys) and on <c>/ws</c> (bad tokens) go through the
/// node's failed-login throttle: each is audited as <c>&lt;channel&gt;.login_failed</c>, and [security]
/// login_max_failures of them from one address lock that address out of every gateway - even the right key is then
/// refused with 429 <c>login_locked</c> and a Retry-After.
/// </summary>
public sealed class LoginLockoutTests
{
    private static List<string?> Actions(ServerFixture s) => s.AuditLines().Select(l => l.GetProperty("action").GetString()).ToList();

    [Fact]
    public async Task Unknown_api_keys_are_audited_and_lock_the_address_out_then_even_the_right_key_is_429()
    {
        await using var s = await ServerFixture.StartAsync();
        int max = s.Config.Security.LoginMaxFailures;
        for (int i = 0; i < max; i++)
        {
            var message = (await s.PostAsync("/api/v1/auth/token", null, new { apiKey = "guess-" + i })).ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Equal("unknown API key", message);
        }
        var failed = s.AuditOf("rest.login_failed");
        Assert.Equal(max, failed.Count);
        Assert.All(failed, l => Assert.Equal("127.0.0.1", l.GetProperty("remote").GetString()));
        Assert.Single(s.AuditOf("auth.lockout"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
        {
            Content = new StringContent("{\"apiKey\":\"dev-key-A1\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await s.Client.SendAsync(request);
        var locked = new Reply(response.StatusCode, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(), "");
        Assert.Contains("failed logins", locked.ShouldBeError(HttpStatusCode.TooManyRequests, "login_locked"), StringComparison.Ordinal);
        Assert.InRange(int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture),
            1, s.Config.Security.LoginLockoutSeconds);
        Assert.Single(s.AuditOf("rest.login_locked"));
        Assert.DoesNotContain("auth.token", Actions(s)); // no grant
        Assert.DoesNotContain("auth.denied", Actions(s)); // each refusal is audited once, by the throttle
    }

    [Fact]
    public async Task Bad_tokens_on_the_websocket_are_failed_logins_too_and_the_lockout_holds_on_every_gateway()
    {
        await using var s = await ServerFixture.StartAsync();
        int max = s.Config.Security.LoginMaxFailures;
        var wsBase = new Uri(s.Server.Urls[0]);
        await using var ws = await WsClient.ConnectAsync(wsBase);
        for (int i = 0; i < max - 1; i++)
        {
            await ws.SendAsync(new { op = "auth", token = "not.a.token" + i });
            Assert.Equal("unauthorized", WsClient.Str((await ws.NextAsync()).GetProperty("error"), "code"));
        }
        // the last failure comes with the upgrade request
        using (var refused = new ClientWebSocket())
        {
            refused.Options.CollectHttpResponseDetails = true;
            refused.Options.SetRequestHeader("Authorization", "Bearer garbage");
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(WsClient.Address(wsBase), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.HttpStatusCode);
        }
        Assert.Equal(max, s.AuditOf("ws.login_failed").Count);
        Assert.Single(s.AuditOf("auth.lockout"));

        // the address is locked out: a valid token on /ws, and the right API key on REST, are refused
        await ws.SendAsync(new { op = "auth", token = s.Token("A1") });
        var error = (await ws.NextAsync()).GetProperty("error");
        Assert.Equal("login_locked", WsClient.Str(error, "code"));
        (await s.PostAsync("/api/v1/auth/token", null, new { apiKey = "dev-key-A1" })).ShouldBeError(HttpStatusCode.TooManyRequests, "login_locked");
        using (var lockedUpgrade = new ClientWebSocket())
        {
            lockedUpgrade.Options.CollectHttpResponseDetails = true;
            lockedUpgrade.Options.SetRequestHeader("Authorization", "Bearer " + s.Token("A1"));
            await Assert.ThrowsAsync<WebSocketException>(() => lockedUpgrade.ConnectAsync(WsClient.Address(wsBase), CancellationToken.None));
            Assert.Equal(HttpStatusCode.TooManyRequests, lockedUpgrade.HttpStatusCode);
        }
        Assert.Equal(2, s.AuditOf("ws.login_locked").Count);
        Assert.Single(s.AuditOf("rest.login_locked"));

        // public data needs no login and still flows
        await ws.SendAsync(new { op = "ping" });
        Assert.Equal("pong", WsClient.Str(await ws.NextAsync(), "op"));
    }
}
