using Hft.Client;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// Stop-limit (OrdType 4, StopPx), take-profit (the venue's TriggerDirection 5109), iceberg (MaxFloor) and GTD (TimeInForce 6,
/// ExpireTime) over real FIX sessions.
/// </summary>
public class FixOrderTypeTests
{
    [Fact]
    public async Task A_stop_limit_waits_then_fires_on_the_last_trade_and_fills()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var a1 = await f.LogonAsync("CLIENT_A1");
        await using var a2 = await f.LogonAsync("CLIENT_A2");
        LastTradeAt50000(a1, a2);

        a1.NewOrderWithTerms("STOP1", "BTCUSD", '1', "0.5", "50200.00", ordType: '4', tif: '6', stopPx: "50100.00",
            expireTime: DateTime.UtcNow.AddHours(1));
        var ack = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "STOP1");
        Assert.Equal(("0", "4", "6", "50100"), (ack[FixTags.ExecType], ack[FixTags.OrdType], ack[FixTags.TimeInForce], ack[FixTags.StopPx]));
        Assert.Null(ack[FixCustomTags.TriggerDirection]); // a plain stop: its OrdType says it all

        a2.NewOrder("A1", "BTCUSD", '2', "1", "50100.00");
        a2.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "A1");
        a1.NewOrder("T1", "BTCUSD", '1', "0.1", "50100.00"); // trades at 50100: fires STOP1
        // FIX 4.4 has no ExecType for a fired stop: an unsolicited Restated report says so before its fills
        var fired = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "STOP1");
        Assert.Equal(("D", "0", "99", "triggered", "0.5"),
            (fired[FixTags.ExecType], fired[FixTags.OrdStatus], fired[FixTags.ExecRestatementReason], fired[FixTags.Text], fired[FixTags.LeavesQty]));
        var fill = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "STOP1");
        Assert.Equal(("F", "2", "0.5", "50100"), (fill[FixTags.ExecType], fill[FixTags.OrdStatus], fill[FixTags.LastQty], fill[FixTags.LastPx]));
    }

    [Fact]
    public async Task An_iceberg_shows_its_floor_and_reports_each_refresh_from_its_reserve()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var a1 = await f.LogonAsync("CLIENT_A1");
        await using var a2 = await f.LogonAsync("CLIENT_A2");
        a1.NewOrderWithTerms("ICE1", "BTCUSD", '1', "1", "50000.00", ordType: '2', tif: null, stopPx: null, maxFloor: "0.2");
        Assert.Equal("0", a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "ICE1")[FixTags.ExecType]);

        a2.NewOrder("S1", "BTCUSD", '2', "0.2", "50000.00", tif: '3'); // takes the displayed slice exactly
        a2.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "S1" && m[FixTags.ExecType] == "F");
        var fill = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "ICE1");
        Assert.Equal(("F", "1", "0.2", "0.8"), (fill[FixTags.ExecType], fill[FixTags.OrdStatus], fill[FixTags.LastQty], fill[FixTags.LeavesQty]));
        // the next slice comes from the reserve at the back of its level: the client is told it lost its time priority
        var refreshed = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "ICE1");
        Assert.Equal(("D", "1", "99", "refreshed", "0.8", "0.2"), (refreshed[FixTags.ExecType], refreshed[FixTags.OrdStatus],
            refreshed[FixTags.ExecRestatementReason], refreshed[FixTags.Text], refreshed[FixTags.LeavesQty], refreshed[FixTags.CumQty]));
    }

    [Fact]
    public async Task A_gtd_order_that_expires_is_reported_expired()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var a1 = await f.LogonAsync("CLIENT_A1");
        a1.NewOrderWithTerms("GTD1", "BTCUSD", '1', "1", "49000.00", ordType: '2', tif: '6', stopPx: null,
            expireTime: DateTime.UtcNow.AddSeconds(3)); // time to spare on a busy machine
        Assert.Equal("0", a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "GTD1")[FixTags.ExecType]);
        var expired = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "GTD1", TimeSpan.FromSeconds(30));
        Assert.Equal(("C", "C", "expired", "0"), (expired[FixTags.ExecType], expired[FixTags.OrdStatus], expired[FixTags.Text], expired[FixTags.LeavesQty]));
    }

    [Fact]
    public async Task A_take_profit_is_a_stop_with_the_opposite_trigger_direction_and_fires_when_the_price_rises_for_a_sell()
    {
        await using var f = await FixServerFixture.StartAsync(c => c with { Gateway = c.Gateway with { FixAllowedCustomTags = [FixCustomTags.TriggerDirection] } });
        await using var a1 = await f.LogonAsync("CLIENT_A1");
        await using var a2 = await f.LogonAsync("CLIENT_A2");
        LastTradeAt50000(a1, a2);

        // Without the direction a sell stop at 50100 would fire at once (the price is already below it).
        a1.NewOrderWithTerms("STOP1", "BTCUSD", '2', "0.5", "50000.00", ordType: '4', tif: null, stopPx: "50100.00");
        var refused = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "STOP1");
        Assert.Equal("8", refused[FixTags.ExecType]);
        Assert.Contains("would_trigger_immediately", refused[FixTags.Text]);
        a1.NewOrderWithTerms("TP1", "BTCUSD", '2', "0.5", "50000.00", ordType: '4', tif: null, stopPx: "50100.00", triggerDirection: 'U');
        var ack = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "TP1");
        Assert.Equal(("0", "4", "50100", "U"), (ack[FixTags.ExecType], ack[FixTags.OrdType], ack[FixTags.StopPx], ack[FixCustomTags.TriggerDirection]));
        a1.NewOrderWithTerms("TP2", "BTCUSD", '2', "0.5", "50000.00", ordType: '4', tif: null, stopPx: "50100.00", triggerDirection: 'X');
        var bad = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "TP2");
        Assert.Equal("8", bad[FixTags.ExecType]);
        Assert.Contains("TriggerDirection (5109)", bad[FixTags.Text]);

        a2.NewOrder("A1", "BTCUSD", '2', "0.2", "50100.00");
        a2.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "A1");
        a1.NewOrder("T1", "BTCUSD", '1', "0.1", "50100.00"); // trades at 50100: the price rose to the take-profit's trigger
        var fill = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "TP1" && m[FixTags.ExecType] == "F");
        Assert.Equal(("2", "0.5", "50000"), (fill[FixTags.OrdStatus], fill[FixTags.LastQty], fill[FixTags.LastPx]));
        Assert.Equal("U", fill[FixCustomTags.TriggerDirection]); // every report of a take-profit says which way it fires
    }

    [Fact]
    public async Task The_trigger_direction_tag_is_refused_where_the_venue_has_not_agreed_it()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.NewOrderWithTerms("TP1", "BTCUSD", '2', "0.5", "50000.00", ordType: '4', tif: null, stopPx: "50100.00", triggerDirection: 'U');
        var reject = c.Expect(m => m.MsgType == "3");
        Assert.Equal(("0", "5109"), (reject[373], reject[371]));
    }

    /// <summary>A2 rests a bid of 1 at 50000 and A1 sells 0.1 into it: BTCUSD's last trade is 50000.</summary>
    internal static void LastTradeAt50000(FixClient a1, FixClient a2)
    {
        a2.NewOrder("B1", "BTCUSD", '1', "1", "50000.00");
        a2.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "B1");
        a1.NewOrder("S1", "BTCUSD", '2', "0.1", "50000.00");
        a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "S1" && m[FixTags.ExecType] == "F");
    }

    [Theory]
    // A stop without StopPx is a conditionally required field: Business Message Reject 380=5 (conformance scenario
    // app-conditionally-required-stop-px); these are the venue's own ExecutionReport rejects.
    [InlineData('2', "50000.00", "50000.00", null, "StopPx")] // limit with StopPx
    [InlineData('2', "50000.00", null, '6', "ExpireTime")] // GTD without ExpireTime
    public async Task Missing_or_misplaced_terms_are_rejected_naming_the_tag(char ordType, string? price, string? stopPx, char? tif, string text)
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.NewOrderWithTerms("X1", "BTCUSD", '1', "1", price, ordType, tif, stopPx);
        var reject = c.Expect(m => m.MsgType == "8");
        Assert.Equal("8", reject[FixTags.ExecType]);
        Assert.Contains(text, reject[FixTags.Text]);
    }
}
