using System.Net;
using System.Text.RegularExpressions;
using Hft.Server.Tests.Support;
using Hft.WebConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hft.WebConsole.Tests.Browser;

/// <summary>
/// The trader's console in a real browser against a real node: sign-in and logout, the live ladder, the order
/// ticket's place / replace / cancel, a fill moving the position, and the API's rejection shown in words.
/// Each test trades at prices of its own so that tests sharing the book do not see each other's orders.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class TraderConsoleTests(ConsoleFixture fixture)
{
    private ApiServerFixture Server => fixture.Server;

    [SkippableFact]
    public async Task Sign_in_shows_the_trader_view_and_logout_ends_the_session_and_forgets_the_token()
    {
        ConsoleFixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("API key").FillAsync("not-a-key");
        await page.GetByLabel("API key").PressAsync("Enter");
        await Expect(page.Locator("#login-error")).ToContainTextAsync("unknown API key");

        var grant = await page.RunAndWaitForResponseAsync(() => page.SignInAsync("dev-key-A1", "A1"), r => r.Url.EndsWith("/api/v1/auth/token", StringComparison.Ordinal) && r.Status == 200);
        string token = (await grant.JsonAsync())!.Value.GetProperty("token").GetString()!;
        await Expect(page.Locator("#identity")).ToHaveTextAsync("A1 · trader");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Operator" })).ToBeHiddenAsync();
        await Expect(page.Ticket()).ToBeVisibleAsync();
        Assert.Equal(200, (int)(await Server.NewClient(token).Get("api/v1/account")).Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        await Expect(page.Locator("#trader-view")).ToBeHiddenAsync();
        // the session is over on the server, and nothing of it stays in the browser's storage
        await WaitUntil(async () => (await Server.NewClient(token).Get("api/v1/account")).Status == HttpStatusCode.Unauthorized, "the token is revoked");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length + sessionStorage.length"));
        Assert.DoesNotContain(token, await page.ContentAsync());
        Assert.Empty(fixture.Errors);
    }

    [SkippableFact]
    public async Task Ladder_updates_live_when_another_account_orders_and_marks_own_orders()
    {
        ConsoleFixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("dev-key-A1", "A1");
        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("BTCUSD");

        (await Server.Client("A2").Place(Rest.Limit("buy", "48100", "0.3"))).AssertStatus(HttpStatusCode.Created);
        (await Server.Client("A2").Place(Rest.Limit("buy", "48100", "0.2"))).AssertStatus(HttpStatusCode.Created);
        var row = page.LadderRow("48100");
        await Expect(row).ToContainTextAsync("0.5"); // size: both orders
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("2"); // order count
        await Expect(row.Locator("td.own")).ToHaveCountAsync(0); // none of them is A1's

        await page.PlaceAsync("buy", "limit", "48100", "0.1");
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync("0.1"); // A1's own quantity, marked
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("3");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("0.6");
        await Server.Client("A2").Delete("api/v1/orders?symbol=BTCUSD");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("0.1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel all" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
    }

    [SkippableFact]
    public async Task Ticket_places_replaces_and_cancels_an_order_in_the_open_orders_table()
    {
        ConsoleFixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("dev-key-A1", "A1");

        await page.PlaceAsync("buy", "limit", "47200", "0.25");
        long id = await PlacedId(page);
        var row = page.OrderRow(id);
        await Expect(row).ToContainTextAsync("47200");
        await Expect(row).ToContainTextAsync("0.25");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Replace order {id}" }).ClickAsync();
        await page.GetByLabel($"New price of order {id}").FillAsync("47210.5");
        await page.GetByLabel($"New quantity of order {id}").FillAsync("0.2");
        await page.GetByLabel($"New quantity of order {id}").PressAsync("Enter");
        await Expect(page.Locator("#orders-message")).ToHaveTextAsync($"Order {id} replaced");
        await Expect(row).ToContainTextAsync("47210.5");
        await Expect(page.LadderRow("47210.5")).ToBeVisibleAsync();
        Assert.Contains("\"price\":\"47210.5\"", (await Server.Client("A1").Get("api/v1/orders?status=open")).Text);

        await row.GetByRole(AriaRole.Button, new() { Name = $"Cancel order {id}" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await Expect(page.LadderRow("47210.5")).ToHaveCountAsync(0);
        Assert.DoesNotContain($"\"id\":{id},", (await Server.Client("A1").Get("api/v1/orders?status=open")).Text);
    }

    [SkippableFact]
    public async Task A_fill_shows_in_fills_and_moves_the_position()
    {
        ConsoleFixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("dev-key-A1", "A1");
        await page.GetByLabel("Symbol", new() { Exact = true }).SelectOptionAsync("ETHUSD");
        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("ETHUSD");

        // A1 rests a bid from the ticket; A2 sells into it over REST: the trade reaches A1's user channel
        await page.PlaceAsync("buy", "limit", "2990", "0.5");
        long id = await PlacedId(page);
        (await Server.Client("A2").Place(new { symbol = "ETHUSD", side = "sell", type = "market", qty = "0.5" })).AssertStatus(HttpStatusCode.Created);

        await Expect(page.OrderRow(id)).ToHaveCountAsync(0); // filled: no longer open
        await Expect(page.Locator("#fills tbody tr").First).ToContainTextAsync("2990");
        await Expect(page.Locator("#fills tbody tr").First).ToContainTextAsync("maker");
        var position = page.Locator("#positions tbody tr[data-symbol='ETHUSD']");
        await Expect(position.Locator("td").Nth(1)).ToHaveTextAsync("0.5");
        await Expect(position.Locator("td").Nth(2)).ToHaveTextAsync("2990");
        await Expect(page.Locator("#fills tbody tr").First).ToContainTextAsync("buy");
        await Expect(page.Locator("#tape tbody tr").First).ToContainTextAsync("2990");
    }

    [SkippableFact]
    public async Task Rejections_are_explained_client_side_for_the_grid_and_in_the_api_words_for_the_price_band()
    {
        ConsoleFixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("dev-key-A1", "A1");
        var message = page.Locator("#ticket-message");

        await page.PlaceAsync("buy", "limit", "50000.001", "0.1"); // off the tick: never sent
        await Expect(message).ToContainTextAsync("multiple of the tick 0.01");
        await Expect(page.Ticket().GetByLabel("Price", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await page.PlaceAsync("buy", "limit", "50000", "0.00001"); // off the lot
        await Expect(message).ToContainTextAsync("multiple of the lot 0.0001");

        await page.PlaceAsync("buy", "limit", "60000", "0.1"); // 20% above the mark: the band is 10%
        await Expect(message).ToContainTextAsync("price band");
        await Expect(message).ToContainTextAsync("(price_band)");

        await page.Ticket().GetByLabel("Quantity", new() { Exact = true }).PressAsync("Escape"); // Escape clears the ticket
        await Expect(page.Ticket().GetByLabel("Quantity", new() { Exact = true })).ToHaveValueAsync("");
        await Expect(message).ToHaveTextAsync("");
    }

    [SkippableFact]
    public async Task On_a_narrow_screen_the_ticket_comes_first_and_works_from_the_keyboard_alone()
    {
        ConsoleFixture.RequireBrowser();
        var page = await fixture.NewPageAsync(800, 900);
        await page.SignInAsync("dev-key-A1", "A1");
        var ticket = (await page.Ticket().BoundingBoxAsync())!;
        var ladder = (await page.Locator(".ladder-panel").BoundingBoxAsync())!;
        Assert.True(ticket.Y + ticket.Height <= ladder.Y, "one column: the ticket above the ladder");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "nothing wider than the screen");

        // keyboard only: Tab walks the ticket's enabled fields in order (a limit order has no trigger price), Enter places
        await page.Ticket().GetByLabel("Type").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("t-price", await FocusedId(page));
        await page.Keyboard.TypeAsync("46500");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("t-qty", await FocusedId(page));
        await page.Keyboard.TypeAsync("0.1");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("t-tif", await FocusedId(page));
        await page.Keyboard.PressAsync("Enter");
        long id = await PlacedId(page);
        await Expect(page.OrderRow(id)).ToContainTextAsync("46500");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Ticket().GetByLabel("Price", new() { Exact = true })).ToHaveValueAsync("");
        (await Server.Client("A1").Delete($"api/v1/orders/{id}")).AssertStatus(HttpStatusCode.OK);
    }

    private static Task<string> FocusedId(IPage page) => page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''");

    private static async Task<long> PlacedId(IPage page)
    {
        var message = page.Locator("#ticket-message");
        await Expect(message).ToHaveTextAsync(PlacedPattern());
        return long.Parse(PlacedPattern().Match(await message.InnerTextAsync()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls a condition of the server's state (bounded: 20 s).</summary>
    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"^Order (\d+) ")]
    private static partial Regex PlacedPattern();
}
