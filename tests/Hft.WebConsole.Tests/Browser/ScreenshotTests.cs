using System.Net;
using Hft.Server.Tests.Support;
using Hft.WebConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hft.WebConsole.Tests.Browser;

/// <summary>
/// Pictures of the trader and operator views with some trading on the book: written to the test's output folder, and
/// to the folder HFT_CONSOLE_SCREENSHOTS names (README's images: <c>HFT_CONSOLE_SCREENSHOTS=$PWD/docs/images dotnet
/// test tests/Hft.WebConsole.Tests --filter Screenshots</c>).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ScreenshotTests(ConsoleFixture fixture)
{
    private ApiServerFixture Server => fixture.Server;

    [SkippableFact]
    public async Task Screenshots_of_the_trader_and_operator_views()
    {
        ConsoleFixture.RequireBrowser();
        await Trade();
        var page = await fixture.NewPageAsync(1600, 1000);
        await page.SignInAsync("dev-key-A1", "A1");
        await page.GetByLabel("Candle interval").SelectOptionAsync("5");
        await page.Ticket().GetByLabel("Price", new() { Exact = true }).FillAsync("49990");
        await page.Ticket().GetByLabel("Quantity", new() { Exact = true }).FillAsync("0.25");
        await Expect(page.Locator("#ladder tbody tr.bid").Nth(4)).ToBeVisibleAsync();
        await Expect(page.Locator("#tape tbody tr").Nth(7)).ToBeVisibleAsync();
        await Expect(page.Locator("#orders tbody tr[data-id]").Nth(1)).ToBeVisibleAsync();
        await Expect(page.Locator("#positions tbody tr[data-symbol='BTCUSD']")).ToBeVisibleAsync();
        var trader = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });

        var admin = await fixture.NewPageAsync(1600, 1000);
        await admin.SignInAsync("dev-key-ADMIN", "ADMIN");
        await admin.OpenOperatorViewAsync();
        await Expect(admin.Locator("#accounts tbody tr")).ToHaveCountAsync(3);
        await Expect(admin.Locator("#latency tbody tr").First).ToBeVisibleAsync();
        await Expect(admin.Locator("#audit tbody tr").First).ToBeVisibleAsync();
        var operatorView = await admin.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });

        foreach (var dir in new[] { AppContext.BaseDirectory, Environment.GetEnvironmentVariable("HFT_CONSOLE_SCREENSHOTS") })
        {
            if (string.IsNullOrEmpty(dir)) continue;
            Directory.CreateDirectory(dir);
            await File.WriteAllBytesAsync(Path.Combine(dir, "trader.png"), trader);
            await File.WriteAllBytesAsync(Path.Combine(dir, "operator.png"), operatorView);
        }
        Assert.True(trader.Length > 20_000 && operatorView.Length > 20_000, "the pictures show something");
        await Server.Client("A1").Delete("api/v1/orders?symbol=BTCUSD");
        await Server.Client("A2").Delete("api/v1/orders?symbol=BTCUSD");
    }

    /// <summary>A small market: A2 quotes both sides, the traders trade eight times, A1 keeps two orders resting.</summary>
    private async Task Trade()
    {
        var a1 = Server.Client("A1");
        var a2 = Server.Client("A2");
        string[] prices = ["49940", "49950", "49960", "49970", "49980", "49990"];
        for (int i = 0; i < 8; i++)
        {
            string price = prices[i % prices.Length];
            (await a2.Place(Rest.Limit("sell", price, "0.05"))).AssertStatus(HttpStatusCode.Created);
            (await a1.Place(new { symbol = "BTCUSD", side = "buy", type = "market", qty = "0.05" })).AssertStatus(HttpStatusCode.Created);
        }
        for (int i = 0; i < 5; i++)
        {
            (await a2.Place(Rest.Limit("buy", $"{49900 - i * 10}", $"0.{i + 1}"))).AssertStatus(HttpStatusCode.Created);
            (await a2.Place(Rest.Limit("sell", $"{50010 + i * 10}", $"0.{i + 2}"))).AssertStatus(HttpStatusCode.Created);
        }
        (await a1.Place(Rest.Limit("buy", "49870", "0.4"))).AssertStatus(HttpStatusCode.Created);
        (await a1.Place(Rest.Limit("sell", "50060", "0.3"))).AssertStatus(HttpStatusCode.Created);
    }
}
