using System.Net;
using Hft.Server.Tests.Support;
using Hft.WebConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hft.WebConsole.Tests.Browser;

/// <summary>
/// The operator's console (admin role) in a real browser: halting a symbol reaches a trader's ticket live; limits,
/// the kill switch (confirmed), pipeline health and the audit trail. Every change is undone before the test ends.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class OperatorConsoleTests(ConsoleFixture fixture)
{
    private ApiServerFixture Server => fixture.Server;

    [SkippableFact]
    public async Task A_halt_by_the_operator_shows_on_the_traders_ticket_and_resume_reopens_it()
    {
        ConsoleFixture.RequireBrowser();
        var trader = await fixture.NewPageAsync();
        await trader.SignInAsync("dev-key-A2", "A2");
        var badge = trader.Locator("#ticket-status");
        await Expect(badge).ToHaveTextAsync("BTCUSD");

        var operatorPage = await fixture.NewPageAsync();
        await operatorPage.SignInAsync("dev-key-ADMIN", "ADMIN");
        await operatorPage.OpenOperatorViewAsync();
        var row = operatorPage.Locator("#instruments tbody tr[data-symbol='BTCUSD']");
        try
        {
            await row.GetByRole(AriaRole.Button, new() { Name = "Halt BTCUSD" }).ClickAsync();
            var dialog = operatorPage.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync("Halt trading in BTCUSD?");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Halt" }).ClickAsync();
            await Expect(row).ToContainTextAsync("halted");

            await Expect(badge).ToHaveTextAsync("BTCUSD HALTED");
            await Expect(trader.Ticket().GetByRole(AriaRole.Button, new() { Name = "Halted" })).ToBeDisabledAsync();
            await Expect(trader.Locator("#ticker")).ToContainTextAsync("HALTED");
            await Expect(operatorPage.Locator("#audit tbody")).ToContainTextAsync("admin.halt");

            await row.GetByRole(AriaRole.Button, new() { Name = "Resume BTCUSD" }).ClickAsync();
            await Expect(row).ToContainTextAsync("trading");
            await Expect(badge).ToHaveTextAsync("BTCUSD");
            await Expect(trader.Ticket().GetByRole(AriaRole.Button, new() { Name = "Place order" })).ToBeEnabledAsync();
        }
        finally
        {
            await Server.Client("ADMIN", "admin").Post("api/v1/admin/instruments/BTCUSD/resume", new { });
        }
    }

    [SkippableFact]
    public async Task Operator_edits_limits_uses_the_confirmed_kill_switch_and_sees_health()
    {
        ConsoleFixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("dev-key-ADMIN", "ADMIN");
        await page.OpenOperatorViewAsync();
        var admin = Server.Client("ADMIN", "admin");
        var a2 = page.Locator("#accounts tbody tr[data-account='A2']");
        await Expect(a2).ToContainTextAsync("enabled");
        try
        {
            // limits: change one, the others stay
            await a2.GetByRole(AriaRole.Button, new() { Name = "Limits A2" }).ClickAsync();
            await page.GetByLabel("Max open orders").FillAsync("77");
            await page.GetByLabel("Max open orders").PressAsync("Enter");
            await Expect(page.Locator("#operator-message")).ToHaveTextAsync("Limits of A2 saved");
            var limits = (await admin.Get("api/v1/admin/accounts/A2")).Body.GetProperty("limits");
            Assert.Equal(77, limits.GetProperty("maxOpenOrders").GetInt32());
            Assert.Equal("1000", limits.GetProperty("maxOrderQty").GetString());

            // kill switch: Cancel in the dialog changes nothing, Disable disables
            await a2.GetByRole(AriaRole.Button, new() { Name = "Kill switch A2" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
            Assert.True((await admin.Get("api/v1/admin/accounts/A2")).Body.GetProperty("enabled").GetBoolean());
            await a2.GetByRole(AriaRole.Button, new() { Name = "Kill switch A2" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
            await Expect(a2).ToContainTextAsync("disabled");
            (await Server.Client("A2").Place(Rest.Limit("buy", "46000", "0.1"))).AssertError(HttpStatusCode.Forbidden, "account_disabled");
            await a2.GetByRole(AriaRole.Button, new() { Name = "Enable A2" }).ClickAsync();
            await Expect(a2).ToContainTextAsync("enabled");

            // health and audit, read from the admin endpoints
            await Expect(page.Locator("#health")).ToContainTextAsync("accepting");
            await Expect(page.Locator("#queues tbody tr")).ToHaveCountAsync(Server.Pipeline.Shards.Count);
            await Expect(page.Locator("#latency tbody")).ToContainTextAsync("order");
            await Expect(page.Locator("#audit tbody")).ToContainTextAsync("admin.disable");
        }
        finally
        {
            await admin.Post("api/v1/admin/accounts/A2/enable", new { });
            await admin.Send(HttpMethod.Put, "api/v1/admin/accounts/A2/limits", "{\"maxOpenOrders\":10000}");
        }
    }
}
