using System.Text.Json;
using Hft.WebConsole.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hft.WebConsole.Tests.Browser;

/// <summary>
/// The order ticket's rules for every order type (the console's own module, run in the browser), and a stop-limit
/// GTD iceberg placed from the ticket resting off-book until it triggers.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class TicketRulesTests(ConsoleFixture fixture)
{
    private const string Build = """
        async ([valuesText, now]) => {
          const values = JSON.parse(valuesText);
          const { buildOrder } = await import('/console/js/ticket-rules.js');
          const base = { symbol: 'BTCUSD', side: 'buy', type: 'limit', tif: 'gtc', price: '', qty: '1', triggerPrice: '', displayQty: '',
                         expireTime: null, stp: 'none', postOnly: false, clientOrderId: '' };
          const v = { ...base, ...values };
          if (v.expireTime) v.expireTime = new Date(v.expireTime);
          return JSON.stringify(buildOrder(v, { tick: '0.01', lot: '0.0001' }, new Date(now)));
        }
        """;

    private static readonly (string Values, string Expected)[] s_cases =
    [
        // values (JSON) -> expected: the body sent, or the field with a problem
        ("""{"type":"limit","price":"50000.5","qty":"0.25","postOnly":true,"stp":"cancel_maker","clientOrderId":"c-1"}""",
          """{"body":{"symbol":"BTCUSD","side":"buy","type":"limit","tif":"gtc","qty":"0.25","price":"50000.5","postOnly":true,"stp":"cancel_maker","clientOrderId":"c-1"}}"""),
        ("""{"type":"market","tif":"ioc","qty":"2"}""", """{"body":{"symbol":"BTCUSD","side":"buy","type":"market","tif":"ioc","qty":"2"}}"""),
        ("""{"type":"market","tif":"gtd","qty":"2","expireTime":"2030-01-01T00:00:00Z"}""", "tif"),
        ("""{"type":"stop","triggerPrice":"51000","qty":"1"}""", """{"body":{"symbol":"BTCUSD","side":"buy","type":"stop","tif":"gtc","qty":"1","triggerPrice":"51000"}}"""),
        ("""{"type":"stop_limit","price":"51100","qty":"1"}""", "triggerPrice"),
        ("""{"type":"take_profit_limit","price":"49000","triggerPrice":"49100","qty":"1","tif":"gtd","expireTime":"2030-01-01T00:00:00Z","displayQty":"0.1"}""",
          """{"body":{"symbol":"BTCUSD","side":"buy","type":"take_profit_limit","tif":"gtd","qty":"1","price":"49000","triggerPrice":"49100","expireTime":"2030-01-01T00:00:00.000Z","displayQty":"0.1"}}"""),
        ("""{"type":"limit","price":"50000","tif":"gtd","expireTime":"2020-01-01T00:00:00Z"}""", "expireTime"),
        ("""{"type":"limit","price":"50000","tif":"gtd"}""", "expireTime"),
        ("""{"type":"limit","price":"50000","qty":"1","displayQty":"0.001"}""", "displayQty"), // more than 100 slices
        ("""{"type":"limit","price":"50000","qty":"1","displayQty":"2"}""", "displayQty"),
        ("""{"type":"limit","price":"50000","tif":"ioc","displayQty":"0.5"}""", "displayQty"),
        ("""{"type":"limit","price":"50000","tif":"fok","postOnly":true}""", "postOnly"),
        ("""{"type":"stop","triggerPrice":"51000","postOnly":true}""", "postOnly"),
        ("""{"type":"limit","price":"50000.001"}""", "price"),
        ("""{"type":"limit","price":"50000","qty":"0.00001"}""", "qty"),
        ("""{"type":"limit","price":"50000","qty":"0"}""", "qty"),
        ("""{"type":"limit","price":"-5"}""", "price"),
        ("""{"type":"limit","price":"50000","clientOrderId":"has space"}""", "clientOrderId"),
    ];

    [SkippableFact]
    public async Task The_ticket_sends_what_each_order_type_takes_and_names_the_field_it_refuses()
    {
        ConsoleFixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/"); // the module needs no session
        var wrong = new List<string>();
        foreach (var (values, expected) in s_cases)
        {
            string result = await page.EvaluateAsync<string>(Build, new object[] { values, "2026-01-01T00:00:00Z" });
            using var doc = JsonDocument.Parse(result);
            bool right = expected.StartsWith('{')
                ? SameJson(expected, doc.RootElement)
                : doc.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(expected, out _);
            if (!right) wrong.Add($"{values} -> {result}, expected {expected}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static bool SameJson(string expected, JsonElement actual)
    {
        using var want = JsonDocument.Parse(expected);
        return want.RootElement.GetRawText() == actual.GetRawText();
    }

    [SkippableFact]
    public async Task A_stop_limit_gtd_iceberg_from_the_ticket_waits_off_book_for_its_trigger()
    {
        ConsoleFixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("dev-key-A2", "A2");
        var ticket = page.Ticket();
        await ticket.GetByLabel("Sell", new() { Exact = true }).CheckAsync();
        await ticket.GetByLabel("Type").SelectOptionAsync("stop_limit");
        await ticket.GetByLabel("Time in force").SelectOptionAsync("gtd");
        await ticket.GetByLabel("Price", new() { Exact = true }).FillAsync("45500");
        await ticket.GetByLabel("Trigger price").FillAsync("45600");
        await ticket.GetByLabel("Expire time").FillAsync("2030-01-01T12:00");
        await ticket.GetByLabel("Display qty (iceberg)").FillAsync("0.1");
        await ticket.GetByLabel("Quantity", new() { Exact = true }).FillAsync("1");
        await ticket.GetByLabel("Quantity", new() { Exact = true }).PressAsync("Enter");

        await Expect(page.Locator("#ticket-message")).ToContainTextAsync("pending_trigger");
        var row = page.Locator("#orders tbody tr", new() { HasText = "45500" });
        await Expect(row).ToContainTextAsync("stop_limit gtd ice 0.1");
        await Expect(row).ToContainTextAsync("pending_trigger");
        await Expect(page.LadderRow("45500")).ToHaveCountAsync(0); // off-book until triggered
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel all" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
    }
}
