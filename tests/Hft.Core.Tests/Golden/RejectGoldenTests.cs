using Hft.Core.Instruments;
using static Hft.Core.Orders.Side;

namespace Hft.Core.Tests.Golden;

/// <summary>Every reject reason, the order in which new-order checks apply, and that rejects change nothing.</summary>
public class RejectGoldenTests
{
    private readonly GoldenEngine _g = new();

    private static string Rejected(long id, int account, RejectReason reason, int ins = 0, CommandOp op = CommandOp.New)
        => Expect.Rejected(id, account, op, reason, ins);

    [Theory]
    [InlineData(2)] // valid-looking index that this engine does not trade
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Unknown_instrument_is_unknown_symbol_for_every_command(int ins)
    {
        Assert.Equal([Rejected(1, 1, RejectReason.UnknownSymbol, ins)], _g.Run(Cmd.Limit(1, 1, Buy, 100, 1, ins: ins)));
        Assert.Equal([Rejected(1, 1, RejectReason.UnknownSymbol, ins, CommandOp.Cancel)], _g.Run(Cmd.Cancel(1, 1, ins)));
        Assert.Equal([Rejected(1, 1, RejectReason.UnknownSymbol, ins, CommandOp.Replace)], _g.Run(Cmd.Replace(1, 1, 100, 1, ins)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    [InlineData(Instrument.MaxPriceTicks + 1)]
    [InlineData(long.MaxValue)]
    public void Limit_price_out_of_range_is_invalid_price(long price)
        => Assert.Equal([Rejected(1, 1, RejectReason.InvalidPrice)], _g.Run(Cmd.Limit(1, 1, Buy, price, 1)));

    [Fact]
    public void Largest_price_is_accepted_and_market_orders_ignore_the_price_field()
    {
        Assert.Equal([Expect.Accepted(1, 1, Sell, Instrument.MaxPriceTicks, 1)], _g.Run(Cmd.Limit(1, 1, Sell, Instrument.MaxPriceTicks, 1)));
        var market = Cmd.Market(2, 2, Buy, 1);
        market.Price = -5;
        Assert.Equal(
        [
            Expect.Accepted(2, 2, Buy, 0, 1),
            Expect.Trade(Instrument.MaxPriceTicks, 1, (2, 2), Buy, 0, (1, 1), 0),
        ], _g.Run(market));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    [InlineData(Instrument.MaxQuantityLots + 1)]
    public void Quantity_out_of_range_is_invalid_qty(long qty)
    {
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidQty)], _g.Run(Cmd.Limit(1, 1, Buy, 100, qty)));
        Assert.Equal([Rejected(2, 1, RejectReason.InvalidQty)], _g.Run(Cmd.Market(2, 1, Buy, qty)));
    }

    [Fact]
    public void Largest_quantity_is_accepted()
        => Assert.Equal([Expect.Accepted(1, 1, Buy, 100, Instrument.MaxQuantityLots)], _g.Run(Cmd.Limit(1, 1, Buy, 100, Instrument.MaxQuantityLots)));

    [Fact]
    public void Post_only_is_only_for_gtc_limit_orders()
    {
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidOrderType)], _g.Run(Cmd.Limit(1, 1, Buy, 100, 1, TimeInForce.Ioc, postOnly: true)));
        Assert.Equal([Rejected(2, 1, RejectReason.InvalidOrderType)], _g.Run(Cmd.Limit(2, 1, Buy, 100, 1, TimeInForce.Fok, postOnly: true)));
        var market = Cmd.Market(3, 1, Buy, 1, TimeInForce.Gtc);
        market.PostOnly = true;
        Assert.Equal([Rejected(3, 1, RejectReason.InvalidOrderType)], _g.Run(market));
    }

    [Fact]
    public void Undefined_enum_values_are_invalid_order_type()
    {
        var badSide = Cmd.Limit(1, 1, (Side)0, 100, 1);
        var badType = Cmd.Limit(2, 1, Buy, 100, 1);
        badType.Type = (OrderType)9;
        var badTif = Cmd.Limit(3, 1, Buy, 100, 1, (TimeInForce)5);
        var badStp = Cmd.Limit(4, 1, Buy, 100, 1, stp: (SelfTradePrevention)4);
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidOrderType)], _g.Run(badSide));
        Assert.Equal([Rejected(2, 1, RejectReason.InvalidOrderType)], _g.Run(badType));
        Assert.Equal([Rejected(3, 1, RejectReason.InvalidOrderType)], _g.Run(badTif));
        Assert.Equal([Rejected(4, 1, RejectReason.InvalidOrderType)], _g.Run(badStp));
        var badOp = Cmd.Cancel(5, 1);
        badOp.Op = (CommandOp)0;
        Assert.Equal([Rejected(5, 1, RejectReason.InvalidOrderType, op: (CommandOp)0)], _g.Run(badOp));
    }

    [Fact]
    public void Id_of_any_accepted_order_cannot_be_reused_live_filled_canceled_or_killed()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 1), Cmd.Limit(2, 1, Sell, 101, 1));
        _g.Run(Cmd.Limit(3, 2, Buy, 100, 1));                   // fills 1 and 3
        _g.Run(Cmd.Cancel(2, 1));                               // cancels 2
        _g.Run(Cmd.Limit(4, 2, Buy, 90, 1, TimeInForce.Fok));   // killed
        _g.Rest(Cmd.Limit(5, 2, Buy, 90, 1));                   // live
        foreach (long id in new long[] { 1, 2, 3, 4, 5 })
            Assert.Equal([Rejected(id, 3, RejectReason.DuplicateId)], _g.Run(Cmd.Limit(id, 3, Buy, 80, 1)));
        Assert.Equal([5L], _g.Queue(Buy));
    }

    [Fact]
    public void Rejected_order_does_not_consume_its_id()
    {
        Assert.Equal([Rejected(7, 1, RejectReason.InvalidQty)], _g.Run(Cmd.Limit(7, 1, Buy, 100, 0)));
        Assert.Equal([Expect.Accepted(7, 1, Buy, 100, 1)], _g.Run(Cmd.Limit(7, 1, Buy, 100, 1)));
    }

    [Fact]
    public void New_order_checks_apply_in_the_specified_order()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 90, 1));
        var all = Cmd.Limit(1, 1, Buy, 0, 0, TimeInForce.Ioc, postOnly: true, ins: 5);
        all.EdgeReject = RejectReason.InvalidQty;
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidQty, 5)], _g.Run(all));        // edge reject first
        all.EdgeReject = RejectReason.None;
        Assert.Equal([Rejected(1, 1, RejectReason.UnknownSymbol, 5)], _g.Run(all));     // then instrument
        all.Instrument = 0;
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidPrice)], _g.Run(all));         // then price
        all.Price = 100;
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidQty)], _g.Run(all));           // then quantity
        all.Quantity = 1;
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidOrderType)], _g.Run(all));     // then flags
        all.PostOnly = false;
        Assert.Equal([Rejected(1, 1, RejectReason.DuplicateId)], _g.Run(all));          // then the id
    }

    [Fact]
    public void Edge_reject_is_echoed_for_every_command_and_changes_nothing()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 90, 5));
        var cancel = Cmd.Cancel(1, 1);
        cancel.EdgeReject = RejectReason.UnknownSymbol;
        var replace = Cmd.Replace(1, 1, 95, 2);
        replace.EdgeReject = RejectReason.InvalidPrice;
        var fresh = Cmd.Limit(2, 1, Sell, 90, 5);
        fresh.EdgeReject = RejectReason.InvalidQty;
        Assert.Equal([Rejected(1, 1, RejectReason.UnknownSymbol, op: CommandOp.Cancel)], _g.Run(cancel));
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidPrice, op: CommandOp.Replace)], _g.Run(replace));
        Assert.Equal([Rejected(2, 1, RejectReason.InvalidQty)], _g.Run(fresh));
        Assert.Equal([new Book.OrderView(1, 1, Buy, 90, 5)], _g.L3(Buy));
        Assert.Equal([Expect.Accepted(2, 1, Sell, 91, 5)], _g.Run(Cmd.Limit(2, 1, Sell, 91, 5)));
    }

    [Fact]
    public void Cancel_of_an_order_that_is_not_live_or_not_owned_is_unknown_order()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 90, 5), Cmd.Limit(2, 1, Sell, 100, 1), Cmd.Limit(3, 1, Buy, 90, 5, ins: 1));
        _g.Run(Cmd.Limit(4, 2, Buy, 100, 1)); // fills 2
        _g.Run(Cmd.Cancel(3, 1, 1));          // canceled
        Assert.Equal([Rejected(99, 1, RejectReason.UnknownOrder, op: CommandOp.Cancel)], _g.Run(Cmd.Cancel(99, 1)));   // never seen
        Assert.Equal([Rejected(1, 2, RejectReason.UnknownOrder, op: CommandOp.Cancel)], _g.Run(Cmd.Cancel(1, 2)));     // other account
        Assert.Equal([Rejected(1, 1, RejectReason.UnknownOrder, 1, CommandOp.Cancel)], _g.Run(Cmd.Cancel(1, 1, 1)));   // other instrument
        Assert.Equal([Rejected(2, 1, RejectReason.UnknownOrder, op: CommandOp.Cancel)], _g.Run(Cmd.Cancel(2, 1)));     // filled
        Assert.Equal([Rejected(3, 1, RejectReason.UnknownOrder, 1, CommandOp.Cancel)], _g.Run(Cmd.Cancel(3, 1, 1)));   // already canceled
        Assert.Equal([Rejected(4, 2, RejectReason.UnknownOrder, op: CommandOp.Cancel)], _g.Run(Cmd.Cancel(4, 2)));     // filled taker
        Assert.Equal([1L], _g.Queue(Buy));
    }

    [Fact]
    public void Replace_checks_order_then_price_then_quantity()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 90, 5));
        Assert.Equal([Rejected(1, 2, RejectReason.UnknownOrder, op: CommandOp.Replace)], _g.Run(Cmd.Replace(1, 2, 0, 0)));
        Assert.Equal([Rejected(9, 1, RejectReason.UnknownOrder, op: CommandOp.Replace)], _g.Run(Cmd.Replace(9, 1, 0, 0)));
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidPrice, op: CommandOp.Replace)], _g.Run(Cmd.Replace(1, 1, 0, 0)));
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidPrice, op: CommandOp.Replace)], _g.Run(Cmd.Replace(1, 1, Instrument.MaxPriceTicks + 1, 1)));
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidQty, op: CommandOp.Replace)], _g.Run(Cmd.Replace(1, 1, 91, 0)));
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidQty, op: CommandOp.Replace)], _g.Run(Cmd.ReplaceQty(1, 1, -3)));
        Assert.Equal([Rejected(1, 1, RejectReason.InvalidQty, op: CommandOp.Replace)], _g.Run(Cmd.ReplaceQty(1, 1, Instrument.MaxQuantityLots + 1)));
        Assert.Equal([new Book.OrderView(1, 1, Buy, 90, 5)], _g.L3(Buy));
    }
}
