using Hft.Core.Numerics;

namespace Hft.Core.Tests.Wire;

/// <summary>
/// These numbers and names are persisted (journal) and sent on the wire. Changing one breaks replay and
/// clients: append new members, never renumber or rename. Each test pins the complete member list.
/// </summary>
public class PinnedEnumValuesTests
{
    private static void AssertMembers<T>(params (T Member, int Value)[] expected) where T : struct, Enum
    {
        Assert.Equal(expected.Select(e => (e.Member.ToString(), e.Value)),
            Enum.GetValues<T>().Select(v => (v.ToString(), Convert.ToInt32(v))));
    }

    [Fact]
    public void Side() => AssertMembers((Orders.Side.Buy, 1), (Orders.Side.Sell, 2));

    [Fact]
    public void Order_type() => AssertMembers((OrderType.Limit, 1), (OrderType.Market, 2), (OrderType.Stop, 3), (OrderType.StopLimit, 4),
            (OrderType.TakeProfit, 5), (OrderType.TakeProfitLimit, 6));

    [Fact]
    public void Time_in_force() => AssertMembers((TimeInForce.Gtc, 1), (TimeInForce.Ioc, 2), (TimeInForce.Fok, 3), (TimeInForce.Gtd, 4));

    [Fact]
    public void Self_trade_prevention()
        => AssertMembers((SelfTradePrevention.None, 0), (SelfTradePrevention.CancelTaker, 1), (SelfTradePrevention.CancelMaker, 2),
            (SelfTradePrevention.CancelBoth, 3));

    [Fact]
    public void Command_op() => AssertMembers((CommandOp.New, 1), (CommandOp.Cancel, 2), (CommandOp.Replace, 3), (CommandOp.MassCancel, 4),
        (CommandOp.Expire, 5));

    [Fact]
    public void Event_kind()
        => AssertMembers((EventKind.Accepted, 1), (EventKind.Rejected, 2), (EventKind.Trade, 3), (EventKind.Canceled, 4),
            (EventKind.Replaced, 5), (EventKind.Triggered, 6), (EventKind.Refreshed, 7));

    [Fact]
    public void Reject_reason()
        => AssertMembers((RejectReason.None, 0), (RejectReason.UnknownSymbol, 1), (RejectReason.InvalidPrice, 2),
            (RejectReason.InvalidQty, 3), (RejectReason.DuplicateId, 4), (RejectReason.UnknownOrder, 5),
            (RejectReason.InvalidOrderType, 6), (RejectReason.AccountDisabled, 7), (RejectReason.InstrumentHalted, 8),
            (RejectReason.MaxQty, 9), (RejectReason.MaxNotional, 10), (RejectReason.PriceBand, 11), (RejectReason.MaxOpenOrders, 12),
            (RejectReason.MaxPosition, 13), (RejectReason.CreditLimit, 14), (RejectReason.NoReferencePrice, 15),
            (RejectReason.Overloaded, 16), (RejectReason.RateLimited, 17), (RejectReason.NotLeader, 18),
            (RejectReason.ShuttingDown, 19), (RejectReason.InvalidTriggerPrice, 20), (RejectReason.WouldTriggerImmediately, 21),
            (RejectReason.InvalidDisplayQty, 22), (RejectReason.InvalidExpireTime, 23));

    [Fact]
    public void Cancel_reason()
        => AssertMembers((CancelReason.None, 0), (CancelReason.User, 1), (CancelReason.IocRemainder, 2), (CancelReason.FokUnfilled, 3),
            (CancelReason.PostOnlyWouldCross, 4), (CancelReason.SelfTrade, 5), (CancelReason.MarketNoLiquidity, 6),
            (CancelReason.PriceBand, 7), (CancelReason.AccountDisabled, 8), (CancelReason.Admin, 9), (CancelReason.Expired, 10));

    [Fact]
    public void Decimal_parse_status()
        => AssertMembers((DecimalParseStatus.Ok, 0), (DecimalParseStatus.Malformed, 1), (DecimalParseStatus.Negative, 2),
            (DecimalParseStatus.Overflow, 3));

    [Fact]
    public void Reject_reason_names()
    {
        Assert.Equal(["none", "unknown_symbol", "invalid_price", "invalid_qty", "duplicate_id", "unknown_order", "invalid_order_type",
                "account_disabled", "instrument_halted", "max_qty", "max_notional", "price_band", "max_open_orders", "max_position",
                "credit_limit", "no_reference_price", "overloaded", "rate_limited", "not_leader", "shutting_down",
                "invalid_trigger_price", "would_trigger_immediately", "invalid_display_qty", "invalid_expire_time"],
            RejectReasonNames.All);
        Assert.Equal(RejectReasonNames.All, Enum.GetValues<RejectReason>().Select(r => r.Name()));
        Assert.Equal("unknown", ((RejectReason)200).Name());
    }

    [Fact]
    public void Cancel_reason_names()
    {
        Assert.Equal(["none", "user", "ioc_remainder", "fok_unfilled", "post_only_would_cross", "self_trade", "market_no_liquidity",
                "price_band", "account_disabled", "admin", "expired"],
            CancelReasonNames.All);
        Assert.Equal(CancelReasonNames.All, Enum.GetValues<CancelReason>().Select(r => r.Name()));
        Assert.Equal("unknown", ((CancelReason)200).Name());
    }

    [Fact]
    public void Enums_are_one_byte_on_the_wire()
    {
        foreach (var t in new[] { typeof(Orders.Side), typeof(OrderType), typeof(TimeInForce), typeof(SelfTradePrevention), typeof(CommandOp),
                     typeof(EventKind), typeof(RejectReason), typeof(CancelReason) })
            Assert.Equal(typeof(byte), Enum.GetUnderlyingType(t));
    }
}
