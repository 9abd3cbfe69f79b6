using System.Net;
using Hft.Server.Tests.Support;
using Hft.WebConsole.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Hft.WebConsole.Tests.Browser;

/// <summary>
/// The console's session against a node whose access tokens live 6 seconds: it rotates the refresh token before the
/// access token runs out and keeps trading; when the session is revoked (a spent refresh token presented again) it
/// returns to the sign-in form.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SessionConsoleTests(ConsoleFixture fixture)
{
    [SkippableFact]
    public async Task The_console_rotates_its_refresh_token_and_signs_out_when_the_session_is_revoked()
    {
        ConsoleFixture.RequireBrowser();
        await using var server = await ApiServerFixture.StartAsync(c => c with { Auth = c.Auth with { TokenLifetimeSeconds = 6 } });
        var page = await fixture.NewPageAsync(server: server);
        var firstRefresh = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/v1/auth/refresh", StringComparison.Ordinal), new() { Timeout = 60_000 });
        var login = await page.RunAndWaitForResponseAsync(() => page.SignInAsync("dev-key-A1", "A1"),
            r => r.Url.EndsWith("/api/v1/auth/token", StringComparison.Ordinal) && r.Status == 200);
        string issued = (await login.JsonAsync())!.Value.GetProperty("refreshToken").GetString()!;

        var rotated = await firstRefresh;
        Assert.Equal(200, rotated.Status);
        Assert.NotEqual(issued, (await rotated.JsonAsync())!.Value.GetProperty("refreshToken").GetString());
        await page.PlaceAsync("buy", "limit", "45000", "0.1"); // the rotated token trades
        await Expect(page.Locator("#ticket-message")).ToContainTextAsync(" new");

        // the spent refresh token presented again is taken as theft: the whole session is revoked
        (await server.Anonymous.Post("api/v1/auth/refresh", new { refreshToken = issued })).AssertError(HttpStatusCode.Unauthorized, "refresh_token_reused");
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("#trader-view")).ToBeHiddenAsync();
    }
}
