using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hft.WebConsole.Tests.Support;

/// <summary>What a user does on the console, in the console's own words (labels, roles, visible text).</summary>
public static class ConsolePage
{
    /// <summary>Opens / and signs in with an API key; waits until the view of the role is shown.</summary>
    public static async Task SignInAsync(this IPage page, string apiKey, string account)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("API key").FillAsync(apiKey);
        await page.GetByLabel("API key").PressAsync("Enter");
        await Expect(page.Locator("#identity")).ToContainTextAsync(account);
        await Expect(page.Locator("#connection")).ToHaveTextAsync("live");
    }

    /// <summary>Switches a signed-in admin's page to the operator view.</summary>
    public static Task OpenOperatorViewAsync(this IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Operator" }).ClickAsync();

    public static ILocator Ticket(this IPage page) => page.GetByRole(AriaRole.Form, new() { Name = "Order ticket" });

    /// <summary>Fills the ticket's side, type, price and quantity (other fields as they are) and presses Enter.</summary>
    public static async Task PlaceAsync(this IPage page, string side, string type, string? price, string qty)
    {
        var ticket = page.Ticket();
        await ticket.GetByLabel(side == "buy" ? "Buy" : "Sell", new() { Exact = true }).CheckAsync();
        await ticket.GetByLabel("Type").SelectOptionAsync(type);
        if (price is not null) await ticket.GetByLabel("Price", new() { Exact = true }).FillAsync(price);
        await ticket.GetByLabel("Quantity", new() { Exact = true }).FillAsync(qty);
        await ticket.GetByLabel("Quantity", new() { Exact = true }).PressAsync("Enter");
    }

    /// <summary>The depth ladder's row at a price.</summary>
    public static ILocator LadderRow(this IPage page, string price) => page.Locator($"#ladder tbody tr[data-price='{price}']");

    public static ILocator OrderRow(this IPage page, long id) => page.Locator($"#orders tbody tr[data-id='{id}']");
}
