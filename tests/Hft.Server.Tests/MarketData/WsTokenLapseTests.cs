using System.Net;
using System.Net.WebSockets;
using Hft.Auth;
using Hft.Server.MarketData;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.MarketData;

/// <summary>An authenticated <c>/ws</c> connection ends with its token (expiry read on an injected clock, or revocation).</summary>
public sealed class WsTokenLapseTests
{
    private static async Task AssertClosedWith(WsClient ws, string reason)
    {
        Assert.True(await ws.ClosedAsync(20), "the server did not close the connection");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, ws.Socket.CloseStatus); // 1008
        Assert.Equal(reason, ws.Socket.CloseStatusDescription);
    }

    private static async Task AssertOpen(WsClient ws)
    {
        await ws.SendAsync(new { op = "ping" });
        Assert.Equal("pong", WsClient.Str(await ws.NextAsync(m => WsClient.Str(m, "op") == "pong"), "op"));
    }

    [Fact]
    public async Task A_connection_closes_when_its_token_expires_unless_it_renewed_the_token_on_the_socket()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var s = await ApiServerFixture.StartAsync(c => c, new MarketDataOptions { Clock = clock });
        string shortLived = s.Token("A1", lifetime: TimeSpan.FromMinutes(1));

        await using var stale = await WsClient.ConnectAsync(s.BaseAddress, bearer: shortLived);
        await using var renewed = await WsClient.ConnectAsync(s.BaseAddress);
        await using var anonymous = await WsClient.ConnectAsync(s.BaseAddress);
        await renewed.SendAsync(new { op = "auth", token = shortLived });
        Assert.Equal("authenticated", WsClient.Str(await renewed.NextAsync(), "op"));
        await stale.SendAsync(new { op = "subscribe", channel = "user" });
        Assert.Equal("subscribed", WsClient.Str(await stale.NextAsync(), "op"));

        // renewing: another account's token is refused, a newer token of the same account taken
        await renewed.SendAsync(new { op = "auth", token = s.Token("A2") });
        Assert.Equal("already_authenticated", (await renewed.NextAsync()).GetProperty("error").GetProperty("code").GetString());
        await renewed.SendAsync(new { op = "auth", token = s.Token("A1", lifetime: TimeSpan.FromMinutes(10)) });
        Assert.Equal("authenticated", WsClient.Str(await renewed.NextAsync(), "op"));
        await AssertOpen(stale); // not expired yet

        clock.Advance(TimeSpan.FromMinutes(2)); // past the first token's expiry and the clock skew
        await AssertClosedWith(stale, WsToken.Expired);
        await AssertOpen(renewed); // checked in the same pass that closed the stale one
        await AssertOpen(anonymous); // public market data needs no token

        clock.Advance(TimeSpan.FromMinutes(9));
        await AssertClosedWith(renewed, WsToken.Expired);
        await AssertOpen(anonymous);
        Assert.Equal(2, s.Server.Services.GetService(typeof(MarketDataPublisher)) is MarketDataPublisher p ? p.TokenCloses : -1);
        var metrics = await s.Anonymous.Get("metrics");
        Assert.Contains("hft_ws_token_closes_total 2", metrics.Text.Split('\n'));
    }

    [Fact]
    public async Task A_connection_closes_when_its_accounts_tokens_are_revoked()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        await using var ws = await WsClient.ConnectAsync(s.BaseAddress, bearer: s.Token("A1"));
        await using var other = await WsClient.ConnectAsync(s.BaseAddress, bearer: s.Token("A2"));
        await AssertOpen(ws);
        (await s.Client("ADMIN", Roles.Admin).Post("api/v1/admin/accounts/A1/revoke-sessions", new { })).AssertStatus(HttpStatusCode.OK);
        await AssertClosedWith(ws, WsToken.Revoked);
        await AssertOpen(other);
    }
}
