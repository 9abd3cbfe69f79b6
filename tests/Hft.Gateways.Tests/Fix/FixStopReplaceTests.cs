using Hft.Client;
using Hft.Gateways.Fix;
using static Hft.Gateways.Tests.Fix.FixOrderTypeTests;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// OrderCancelReplaceRequest (G) of stop and take-profit orders over real FIX sessions: a new StopPx (99) moves a pending
/// trigger, wrong ones are refused without a change, and a stop limit that fired is replaced as the limit order it became.
/// </summary>
public class FixStopReplaceTests
{
    [Fact]
    public async Task A_stop_limit_whose_StopPx_was_replaced_fires_at_the_new_trigger_and_not_at_the_old()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var a1 = await f.LogonAsync("CLIENT_A1");
        await using var a2 = await f.LogonAsync("CLIENT_A2");
        LastTradeAt50000(a1, a2);
        Enter(a1, "STOP1", '1', "0.5", "50300.00", stopPx: "50100.00");

        a1.ReplaceWithTerms("STOP2", "STOP1", "BTCUSD", '1', "0.5", "50300.00", ordType: '4', stopPx: "50200.00");
        var replaced = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "STOP2");
        Assert.Equal(("5", "STOP1", "4", "50200", "50300", "0.5"), (replaced[FixTags.ExecType], replaced[FixTags.OrigClOrdId],
            replaced[FixTags.OrdType], replaced[FixTags.StopPx], replaced[FixTags.Price], replaced[FixTags.LeavesQty]));

        Enter(a2, "A1", '2', "0.1", "50100.00");
        Enter(a2, "A2", '2', "1", "50200.00");
        a1.NewOrder("T1", "BTCUSD", '1', "0.1", "50100.00"); // a trade at the old trigger
        ExpectFill(a1, "T1");
        a1.NewOrder("T2", "BTCUSD", '1', "0.1", "50200.00"); // a trade at the new one
        // Had the stop fired at 50100, its fill would have been reported with T1's trade, before T2's acknowledgment.
        var next = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] is "T2" or "STOP2");
        Assert.Equal(("T2", "0"), (next[FixTags.ClOrdId], next[FixTags.ExecType]));
        var fill = ExpectFill(a1, "STOP2");
        Assert.Equal(("2", "0.5", "50200", "50200"), (fill[FixTags.OrdStatus], fill[FixTags.LastQty], fill[FixTags.LastPx], fill[FixTags.StopPx]));
    }

    [Fact]
    public async Task A_wrong_replace_of_a_stop_is_refused_and_the_stop_fires_as_it_was()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var a1 = await f.LogonAsync("CLIENT_A1");
        await using var a2 = await f.LogonAsync("CLIENT_A2");
        LastTradeAt50000(a1, a2);
        Enter(a1, "STOP1", '1', "0.5", "50300.00", stopPx: "50100.00");
        Enter(a1, "L1", '1', "0.1", "49000.00");

        ExpectRefused(a1, "R1", "L1", "49000.00", '2', "50100.00", "only a stop or stop limit order takes StopPx (99)");
        ExpectRefused(a1, "R2", "L1", "49000.00", '4', "50100.00", "OrdType must be the order's own");
        ExpectRefused(a1, "R3", "STOP1", "50300.00", '3', "50100.00", "OrdType must be the order's own");
        ExpectRefused(a1, "R4", "STOP1", "50300.00", '4', "0", "StopPx is not a positive multiple of tick 0.01");
        ExpectRefused(a1, "R5", "STOP1", "50300.00", '4', "-50200.00", "StopPx is not a positive multiple of tick 0.01");
        ExpectRefused(a1, "R6", "STOP1", "50300.00", '4', "50200.005", "StopPx is not a positive multiple of tick 0.01");
        ExpectRefused(a1, "R7", "STOP1", "50300.00", '4', "49000.00", "would_trigger_immediately"); // the engine's: a buy stop below the last trade

        // Untouched: still STOP1, it fires at 50100 with its half bitcoin.
        Enter(a2, "A1", '2', "1", "50100.00");
        a1.NewOrder("T1", "BTCUSD", '1', "0.1", "50100.00");
        var fill = ExpectFill(a1, "STOP1");
        Assert.Equal(("2", "0.5", "50100", "50100"), (fill[FixTags.OrdStatus], fill[FixTags.LastQty], fill[FixTags.LastPx], fill[FixTags.StopPx]));
    }

    [Fact]
    public async Task A_stop_limit_that_fired_is_replaced_as_the_limit_order_it_became()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var a1 = await f.LogonAsync("CLIENT_A1");
        await using var a2 = await f.LogonAsync("CLIENT_A2");
        LastTradeAt50000(a1, a2);
        Enter(a1, "STOP1", '1', "0.5", "50000.00", stopPx: "50100.00");
        Enter(a2, "A1", '2', "0.1", "50100.00");
        a1.NewOrder("T1", "BTCUSD", '1', "0.1", "50100.00"); // fires STOP1: nothing to buy at 50000, it rests as a limit bid
        ExpectFill(a1, "T1");

        a1.ReplaceWithTerms("STOP2", "STOP1", "BTCUSD", '1', "0.4", "49900.00", ordType: '4', stopPx: "50100.00"); // its StopPx restated
        var replaced = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "STOP2");
        Assert.Equal(("5", "49900", "0.4"), (replaced[FixTags.ExecType], replaced[FixTags.Price], replaced[FixTags.LeavesQty]));
        ExpectRefused(a1, "STOP3", "STOP2", "49900.00", '4', "50200.00", "invalid_trigger_price"); // the stop is gone: no trigger to move
    }

    [Fact]
    public async Task A_take_profit_replace_keeps_its_trigger_direction_and_reports_it()
    {
        await using var f = await FixServerFixture.StartAsync(c => c with { Gateway = c.Gateway with { FixAllowedCustomTags = [FixCustomTags.TriggerDirection] } });
        await using var a1 = await f.LogonAsync("CLIENT_A1");
        await using var a2 = await f.LogonAsync("CLIENT_A2");
        LastTradeAt50000(a1, a2);
        a1.NewOrderWithTerms("TP1", "BTCUSD", '2', "0.5", "50000.00", ordType: '4', tif: null, stopPx: "50100.00", triggerDirection: 'U');
        a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "TP1");

        a1.ReplaceWithTerms("TP2", "TP1", "BTCUSD", '2', "0.5", "50000.00", ordType: '4', stopPx: "50200.00", triggerDirection: 'D');
        var refused = a1.Expect(m => m.MsgType == "9" && m[FixTags.ClOrdId] == "TP2");
        Assert.Contains("TriggerDirection (5109) must be the order's own", refused[FixTags.Text]);
        a1.ReplaceWithTerms("TP3", "TP1", "BTCUSD", '2', "0.5", "50000.00", ordType: '4', stopPx: "50200.00", triggerDirection: 'U');
        var replaced = a1.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "TP3");
        Assert.Equal(("5", "50200", "U"), (replaced[FixTags.ExecType], replaced[FixTags.StopPx], replaced[FixCustomTags.TriggerDirection]));
    }

    /// <summary>A limit order (a stop limit with <paramref name="stopPx"/>) on BTCUSD, its acknowledgment awaited.</summary>
    private static void Enter(FixClient c, string clOrdId, char side, string qty, string price, string? stopPx = null)
    {
        if (stopPx is null) c.NewOrder(clOrdId, "BTCUSD", side, qty, price);
        else c.NewOrderWithTerms(clOrdId, "BTCUSD", side, qty, price, ordType: '4', tif: null, stopPx: stopPx);
        c.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == clOrdId);
    }

    private static FixReceived ExpectFill(FixClient c, string clOrdId)
        => c.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == clOrdId && m[FixTags.ExecType] == "F");

    /// <summary>A G for <paramref name="orig"/> answered by an OrderCancelReject whose Text holds <paramref name="text"/>.</summary>
    private static void ExpectRefused(FixClient c, string clOrdId, string orig, string price, char ordType, string stopPx, string text)
    {
        c.ReplaceWithTerms(clOrdId, orig, "BTCUSD", '1', "0.5", ordType == '3' ? null : price, ordType, stopPx);
        var refused = c.Expect(m => m.MsgType == "9" && m[FixTags.ClOrdId] == clOrdId);
        Assert.Equal(("2", orig), (refused[FixTags.CxlRejResponseTo], refused[FixTags.OrigClOrdId]));
        Assert.Contains(text, refused[FixTags.Text]);
    }
}
