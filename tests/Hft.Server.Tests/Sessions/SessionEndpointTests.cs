using System.Net;
using Hft.Auth.Sessions;
using Hft.Server.Sessions;
using Hft.Server.Tests.MarketData;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Sessions;

/// <summary>
/// /auth/token, /auth/refresh, /auth/logout and admin revoke-sessions on a real server with the in-memory store
/// (the development profile): the full flow, and malformed or hostile input refused with specific errors.
/// </summary>
public sealed class SessionEndpointTests : IClassFixture<ApiServerFixture>
{
    private readonly ApiServerFixture _api;

    public SessionEndpointTests(ApiServerFixture api) => _api = api;

    [Fact]
    public async Task Login_refresh_and_logout_flow()
    {
        var login = await _api.LoginAsync();
        Assert.True(RefreshToken.TryParse(login.RefreshToken, out _));
        _api.Token(); // a plain ./hft-token style token still works alongside sessions
        (await _api.AccountAsync(login.Token)).AssertStatus(HttpStatusCode.OK);

        var refreshed = Login.From(await _api.RefreshAsync(login.RefreshToken));
        Assert.Equal(("A1", "trader"), (refreshed.Account, refreshed.Role));
        Assert.NotEqual(login.RefreshToken, refreshed.RefreshToken);
        (await _api.AccountAsync(refreshed.Token)).AssertStatus(HttpStatusCode.OK);

        var logout = (await _api.LogoutAsync(refreshed.Token)).AssertStatus(HttpStatusCode.OK);
        Assert.True(logout.Body.GetProperty("revoked").GetBoolean());
        // every access token of the session stops working, the first one too, and the refresh token is dead
        var message = (await _api.AccountAsync(refreshed.Token)).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("revoked", message, StringComparison.Ordinal);
        (await _api.AccountAsync(login.Token)).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        (await _api.RefreshAsync(refreshed.RefreshToken)).AssertError(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        (await _api.LogoutAsync(refreshed.Token)).AssertError(HttpStatusCode.Unauthorized, "unauthorized");

        // another session of the same account is untouched
        var again = await _api.LoginAsync();
        (await _api.AccountAsync(again.Token)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_logged_out_token_is_refused_by_the_websocket_too()
    {
        var login = await _api.LoginAsync();
        await using (var ok = await WsClient.ConnectAsync(_api.BaseAddress, bearer: login.Token)) { }
        (await _api.LogoutAsync(login.Token)).AssertStatus(HttpStatusCode.OK);

        // at connect: the upgrade is refused with 401
        using var refused = new System.Net.WebSockets.ClientWebSocket();
        refused.Options.SetRequestHeader("Authorization", "Bearer " + login.Token);
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(
            () => refused.ConnectAsync(WsClient.Address(_api.BaseAddress), CancellationToken.None));

        // by auth message: a clear error naming the revocation
        await using var ws = await WsClient.ConnectAsync(_api.BaseAddress);
        await ws.SendAsync(new { op = "auth", token = login.Token });
        var m = await ws.NextAsync();
        Assert.Equal("unauthorized", m.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("revoked", m.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reusing_a_refresh_token_revokes_the_session_and_its_access_tokens()
    {
        var login = await _api.LoginAsync("dev-key-A2");
        var next = Login.From(await _api.RefreshAsync(login.RefreshToken));
        (await _api.RefreshAsync(login.RefreshToken)).AssertError(HttpStatusCode.Unauthorized, "refresh_token_reused");
        (await _api.RefreshAsync(next.RefreshToken)).AssertError(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        (await _api.AccountAsync(next.Token)).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("", "invalid_request")]
    [InlineData("{", "invalid_request")]
    [InlineData("[]", "invalid_request")]
    [InlineData("{}", "invalid_request")]
    [InlineData("{\"refreshToken\":42}", "invalid_request")]
    [InlineData("{\"refreshToken\":\"\"}", "invalid_request")]
    [InlineData("{\"refreshToken\":\"x\",\"extra\":1}", "invalid_request")]
    [InlineData("{\"refreshToken\":\"x\",\"refreshToken\":\"y\"}", "invalid_request")]
    [InlineData("{\"refreshToken\":\"x\"} trailing", "invalid_request")]
    public async Task Malformed_refresh_bodies_are_400(string body, string code)
        => (await _api.Anonymous.PostRaw("api/v1/auth/refresh", body)).AssertError(HttpStatusCode.BadRequest, code);

    [Theory]
    [InlineData("garbage")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("../../../etc/passwd")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.e30")]
    public async Task Unknown_refresh_tokens_are_401(string token)
        => (await _api.RefreshAsync(token)).AssertError(HttpStatusCode.Unauthorized, "invalid_refresh_token");

    [Fact]
    public async Task An_access_token_is_not_a_refresh_token_and_oversized_bodies_are_413()
    {
        var login = await _api.LoginAsync();
        (await _api.RefreshAsync(login.Token)).AssertError(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        string huge = "{\"refreshToken\":\"" + new string('a', _api.Config.Server.MaxRequestBodyBytes + 10) + "\"}";
        using (var fresh = _api.NewClient(null)) // the server closes a connection whose body it refused: keep it off the shared pool
            (await fresh.PostRaw("api/v1/auth/refresh", huge)).AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        (await _api.LogoutAsync(login.Token, huge)).AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        // the session survived all that
        (await _api.RefreshAsync(login.RefreshToken)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_refuses_bodies_missing_tokens_and_session_less_tokens()
    {
        var login = await _api.LoginAsync();
        (await _api.LogoutAsync(login.Token, "{\"all\":true}")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await _api.LogoutAsync(login.Token, "not json")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await _api.Anonymous.Post("api/v1/auth/logout", new { })).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        (await _api.LogoutAsync("not.a.jwt")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        (await _api.LogoutAsync(_api.Token("A1"))).AssertError(HttpStatusCode.BadRequest, "not_a_session_token");
        (await _api.AccountAsync(login.Token)).AssertStatus(HttpStatusCode.OK); // none of it logged the session out
        (await _api.LogoutAsync(login.Token, "{}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Admin_revokes_every_session_and_earlier_token_of_an_account()
    {
        var s1 = await _api.LoginAsync("dev-key-A2");
        var s2 = await _api.LoginAsync("dev-key-A2");
        string plain = _api.Token("A2");
        var other = await _api.LoginAsync("dev-key-A1");

        using (var trader = _api.NewClient(other.Token))
            (await trader.Post("api/v1/admin/accounts/A2/revoke-sessions", new { })).AssertError(HttpStatusCode.Forbidden, "forbidden");
        var admin = (await _api.LoginAsync("dev-key-ADMIN")).Token;
        using (var client = _api.NewClient(admin))
        {
            var r = (await client.Post("api/v1/admin/accounts/A2/revoke-sessions", new { })).AssertStatus(HttpStatusCode.OK);
            Assert.True(r.Body.GetProperty("sessionsRevoked").GetInt32() >= 2);
            (await client.Post("api/v1/admin/accounts/" + new string('x', 65) + "/revoke-sessions", new { })).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        }
        foreach (var token in new[] { s1.Token, s2.Token, plain })
            (await _api.AccountAsync(token)).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        (await _api.RefreshAsync(s1.RefreshToken)).AssertError(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        (await _api.AccountAsync(other.Token)).AssertStatus(HttpStatusCode.OK);

        await Task.Delay(1100); // tokens issued in the revocation's second are refused too (iat has whole seconds)
        (await _api.AccountAsync((await _api.LoginAsync("dev-key-A2")).Token)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Metrics_export_redis_families_even_without_redis()
    {
        var m = await _api.MetricsAsync();
        Assert.Equal(0, m.Value("hft_redis_up"));
        Assert.Equal(0, m.Value("hft_redis_configured"));
        Assert.Equal(0, m.Value("hft_redis_errors_total"));
        Assert.True(m.Value("hft_cache_requests_total", ("result", "hit")) >= 0);
        Assert.True(m.Value("hft_cache_requests_total", ("result", "miss")) >= 0);
    }
}
