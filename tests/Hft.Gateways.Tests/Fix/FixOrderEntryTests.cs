using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>Application messages and their reports over real sockets, through the real pipeline and journal.</summary>
public class FixOrderEntryTests
{
    [Fact]
    public async Task New_order_is_acknowledged_and_a_maker_fill_reaches_the_resting_orders_session()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var maker = await f.LogonAsync("CLIENT_A1");
        await using var taker = await f.LogonAsync("CLIENT_A2");
        maker.NewOrder("M1", "BTCUSD", '2', "1.0", "50000.00");
        var ack = maker.Expect(m => m.MsgType == "8");
        Assert.True(ack[FixTags.ExecType] == "0", ack.Raw);
        Assert.Equal(("0", "0", "M1"), (ack[FixTags.ExecType], ack[FixTags.OrdStatus], ack[FixTags.ClOrdId]));
        Assert.Equal(("1", "0", "0"), (ack[FixTags.LeavesQty], ack[FixTags.CumQty], ack[FixTags.AvgPx]));
        Assert.Equal("A1", ack[FixTags.Account]);

        taker.NewOrder("T1", "BTCUSD", '1', "0.4", "50000.00", tif: '3');
        var takerNew = taker.Expect(m => m.MsgType == "8");
        Assert.Equal("0", takerNew[FixTags.ExecType]);
        var takerFill = taker.Expect(m => m.MsgType == "8");
        Assert.Equal(("F", "2", "0.4", "50000"), (takerFill[FixTags.ExecType], takerFill[FixTags.OrdStatus], takerFill[FixTags.LastQty], takerFill[FixTags.LastPx]));
        Assert.Equal(("0", "0.4", "50000"), (takerFill[FixTags.LeavesQty], takerFill[FixTags.CumQty], takerFill[FixTags.AvgPx]));

        var makerFill = maker.Expect(m => m.MsgType == "8");
        Assert.Equal(("F", "1", "M1"), (makerFill[FixTags.ExecType], makerFill[FixTags.OrdStatus], makerFill[FixTags.ClOrdId]));
        Assert.Equal(("0.6", "0.4", "50000"), (makerFill[FixTags.LeavesQty], makerFill[FixTags.CumQty], makerFill[FixTags.AvgPx]));
        Assert.Equal(ack[FixTags.OrderId], makerFill[FixTags.OrderId]);
    }

    [Fact]
    public async Task Avg_px_is_exact_over_fills_at_different_prices()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var maker = await f.LogonAsync("CLIENT_A1");
        await using var taker = await f.LogonAsync("CLIENT_A2");
        maker.NewOrder("M1", "BTCUSD", '2', "0.1", "50000.00");
        maker.NewOrder("M2", "BTCUSD", '2', "0.2", "50000.01");
        maker.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == "M2");
        taker.NewOrder("T1", "BTCUSD", '1', "0.3", "50000.01");
        taker.Expect(m => m.MsgType == "8" && m[FixTags.ExecType] == "F" && m[FixTags.LastPx] == "50000");
        var last = taker.Expect(m => m.MsgType == "8" && m[FixTags.ExecType] == "F");
        Assert.Equal(("2", "0.3", "0"), (last[FixTags.OrdStatus], last[FixTags.CumQty], last[FixTags.LeavesQty]));
        Assert.Equal("50000.00666667", last[FixTags.AvgPx]); // (0.1×50000 + 0.2×50000.01) / 0.3, to tick decimals + 6, half-even
    }

    [Fact]
    public async Task Cancel_replace_and_cancel_reject()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.NewOrder("O1", "ETHUSD", '1', "2", "3000.00");
        var ack = c.Expect(m => m.MsgType == "8");

        c.Replace("O2", "O1", "ETHUSD", '1', "3", "3010.00");
        var replaced = c.Expect(m => m.MsgType is "8" or "9");
        Assert.Equal(("8", "5", "0"), (replaced.MsgType, replaced[FixTags.ExecType], replaced[FixTags.OrdStatus]));
        Assert.Equal(("O2", "O1", "3", "3010", "3"), (replaced[FixTags.ClOrdId], replaced[FixTags.OrigClOrdId], replaced[FixTags.OrderQty],
            replaced[FixTags.Price], replaced[FixTags.LeavesQty]));
        Assert.Equal(ack[FixTags.OrderId], replaced[FixTags.OrderId]);

        c.Cancel("O3", "O2", "ETHUSD", '1');
        var canceled = c.Expect(m => m.MsgType is "8" or "9");
        Assert.Equal(("8", "4", "4", "O3", "O2", "0"), (canceled.MsgType, canceled[FixTags.ExecType], canceled[FixTags.OrdStatus],
            canceled[FixTags.ClOrdId], canceled[FixTags.OrigClOrdId], canceled[FixTags.LeavesQty]));

        c.Cancel("O4", "O2", "ETHUSD", '1');
        var tooLate = c.Expect(m => m.MsgType is "8" or "9");
        Assert.Equal(("9", "0", "1"), (tooLate.MsgType, tooLate[FixTags.CxlRejReason], tooLate[FixTags.CxlRejResponseTo]));

        c.Cancel("O5", "NO-SUCH", "ETHUSD", '1');
        var unknown = c.Expect(m => m.MsgType is "8" or "9");
        Assert.Equal(("9", "1", "NO-SUCH"), (unknown.MsgType, unknown[FixTags.CxlRejReason], unknown[FixTags.OrigClOrdId]));
    }

    // The client asked for a total it believed above what had filled; fills overtook the request: a race, answered
    // "too late" like a cancel of an order that finished, not a refusal for a bad request.
    [Fact]
    public async Task A_replace_whose_quantity_fills_overtook_is_answered_too_late()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var maker = await f.LogonAsync("CLIENT_A1");
        await using var taker = await f.LogonAsync("CLIENT_A2");
        maker.NewOrder("M1", "ETHUSD", '2', "5", "3000.00");
        maker.Expect(m => m.MsgType == "8" && m[FixTags.ExecType] == "0");
        taker.NewOrder("T1", "ETHUSD", '1', "3", "3000.00", tif: '3');
        var fill = maker.Expect(m => m.MsgType == "8" && m[FixTags.ExecType] == "F");
        Assert.Equal("3", fill[FixTags.CumQty]);

        maker.Replace("M2", "M1", "ETHUSD", '2', "2", "3001.00");
        var refused = maker.Expect(m => m.MsgType is "8" or "9");
        Assert.Equal(("9", "0", "2", "1"), (refused.MsgType, refused[FixTags.CxlRejReason], refused[FixTags.CxlRejResponseTo], refused[FixTags.OrdStatus]));

        maker.Replace("M3", "M1", "ETHUSD", '2', "4", "3001.00"); // above the filled 3: one more to trade
        var replaced = maker.Expect(m => m.MsgType is "8" or "9");
        Assert.Equal(("8", "5", "1", "M3"), (replaced.MsgType, replaced[FixTags.ExecType], replaced[FixTags.LeavesQty], replaced[FixTags.ClOrdId]));
    }

    [Fact]
    public async Task Invalid_orders_are_rejected_with_execution_reports()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.NewOrder("X1", "NOPE", '1', "1", "1.00");
        var unknown = c.Expect(m => m.MsgType == "8");
        Assert.Equal(("8", "8", "1"), (unknown[FixTags.ExecType], unknown[FixTags.OrdStatus], unknown[FixTags.OrdRejReason]));
        c.NewOrder("X2", "BTCUSD", '1', "1", "50000.001");
        Assert.Equal("99", c.Expect(m => m.MsgType == "8")[FixTags.OrdRejReason]);
        c.NewOrder("X3", "BTCUSD", '1', "0.00001", "50000.00");
        Assert.Equal("13", c.Expect(m => m.MsgType == "8")[FixTags.OrdRejReason]);
        c.NewOrder("X4", "BTCUSD", '1', "0.1", "50000.00");
        Assert.Equal("0", c.Expect(m => m.MsgType == "8")[FixTags.ExecType]);
        c.NewOrder("X4", "BTCUSD", '1', "0.1", "50000.00");
        var dup = c.Expect(m => m.MsgType == "8");
        Assert.Equal(("8", "6"), (dup[FixTags.ExecType], dup[FixTags.OrdRejReason]));
        c.NewOrder("X5", "BTCUSD", '1', "100000", "50000.00"); // over the account's credit
        var risk = c.Expect(m => m.MsgType == "8");
        Assert.Equal("8", risk[FixTags.ExecType]);
        Assert.NotNull(risk[FixTags.Text]);
    }

    [Fact]
    public async Task Mass_cancel_reports_each_order_then_the_total()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.NewOrder("A", "BTCUSD", '1', "0.1", "49000.00");
        c.NewOrder("B", "ETHUSD", '1', "1", "2900.00");
        c.NewOrder("C", "BTCUSD", '1', "0.1", "49100.00");
        for (int i = 0; i < 3; i++) Assert.Equal("0", c.Expect(m => m.MsgType == "8")[FixTags.ExecType]);
        c.MassCancel("MC1", "BTCUSD");
        var first = c.Expect(m => m.MsgType is "8" or "r");
        var second = c.Expect(m => m.MsgType is "8" or "r");
        Assert.Equal(("4", "4"), (first[FixTags.ExecType], second[FixTags.ExecType]));
        var report = c.Expect(m => m.MsgType == "r");
        Assert.Equal(("MC1", "1", "1", "2"), (report[FixTags.ClOrdId], report[FixTags.MassCancelRequestType], report[FixTags.MassCancelResponse],
            report[FixTags.TotalAffectedOrders]));
        c.MassCancel("MC2", null);
        Assert.Equal("B", c.Expect(m => m.MsgType is "8" or "r")[FixTags.ClOrdId]);
        Assert.Equal(("7", "1"), c.Expect(m => m.MsgType == "r") is var r2 ? (r2[FixTags.MassCancelResponse], r2[FixTags.TotalAffectedOrders]) : default);
        c.MassCancel("MC3", "NOPE");
        var refused = c.Expect(m => m.MsgType == "r");
        Assert.Equal(("0", "1"), (refused[FixTags.MassCancelResponse], refused[FixTags.MassCancelRejectReason]));
    }
}
