using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Gateways.Binary;

/// <summary>
/// How a decoded order-entry message becomes the pipeline's <see cref="OrderCommand"/> (sessions, and the in-process
/// benchmark of the gateway path). Only what the protocol itself defines (enum codes, flag bits) is checked here: the
/// fields' ranges (price, quantity, symbol, flag combinations) are the engine's to judge.
/// </summary>
public static class BinaryOrderEntry
{
    /// <summary>
    /// A NewOrder or NewOrderV2 whose codes and flags the protocol defines (else: a session reject, invalid field). A
    /// NewOrder (version 1's message) carries limit and market orders, GTC, IOC and FOK; a NewOrderV2 every type and time
    /// in force of the engine.
    /// </summary>
    public static bool IsValidNewOrder(in BinaryMessage m)
    {
        bool v2 = m.Type == MessageType.NewOrderV2;
        return m.Side is (Side.Buy or Side.Sell)
            && (v2 ? m.OrderType.IsKnown() : m.OrderType is (OrderType.Limit or OrderType.Market))
            && (v2 ? m.Tif.IsKnown() : m.Tif is (TimeInForce.Gtc or TimeInForce.Ioc or TimeInForce.Fok))
            && (byte)m.Stp <= 3 && (m.Flags & ~BinaryMessage.PostOnlyFlag) == 0;
    }

    /// <summary>
    /// A ReplaceOrder with no flag but has-price, a ReplaceOrderV2 with no flags but has-price and has-trigger (else: a
    /// session reject, invalid field).
    /// </summary>
    public static bool IsValidReplace(in BinaryMessage m)
    {
        int defined = m.Type == MessageType.ReplaceOrderV2 ? BinaryMessage.HasPriceFlag | BinaryMessage.HasTriggerFlag : BinaryMessage.HasPriceFlag;
        return (m.Flags & ~defined) == 0;
    }

    /// <summary>
    /// A replace that sets a trigger price of zero or below: refused at the edge (<see cref="RejectReason.InvalidTriggerPrice"/>),
    /// since the engine reads a zero trigger as "keep it". Everything else about the trigger (the order is a pending
    /// stop, the price in range, not already reached) is the engine's to judge.
    /// </summary>
    public static RejectReason ReplaceEdgeReject(in BinaryMessage m)
        => (m.Flags & BinaryMessage.HasTriggerFlag) != 0 && m.TriggerPrice <= 0 ? RejectReason.InvalidTriggerPrice : RejectReason.None;

    /// <summary>
    /// The command of a valid NewOrder or NewOrderV2, under the exchange order id <paramref name="orderId"/> for the
    /// session's account. A good-till-date order's expire time must lie after <paramref name="nowUnixNanos"/> (the
    /// gateway's clock), as over REST and FIX.
    /// </summary>
    public static OrderCommand NewOrder(in BinaryMessage m, long orderId, int account, long nowUnixNanos)
    {
        bool limitPriced = m.OrderType.HasLimitPrice();
        var cmd = new OrderCommand
        {
            Op = CommandOp.New, OrderId = orderId, Account = account, Instrument = m.Instrument, Side = m.Side, Type = m.OrderType,
            Tif = m.Tif, Stp = m.Stp, PostOnly = (m.Flags & BinaryMessage.PostOnlyFlag) != 0, Price = limitPriced ? m.Price : 0,
            HasPrice = limitPriced, Quantity = m.Quantity, TriggerPrice = m.TriggerPrice, DisplayQuantity = m.DisplayQuantity,
            ExpireTime = m.ExpireTime,
        };
        if (!limitPriced && m.Price != 0) cmd.EdgeReject = RejectReason.InvalidPrice; // a market-priced order carries no price
        else if (m.Tif == TimeInForce.Gtd && m.ExpireTime != 0 && m.ExpireTime <= nowUnixNanos) cmd.EdgeReject = RejectReason.InvalidExpireTime;
        return cmd;
    }

    /// <summary>The command of a CancelOrder or a valid ReplaceOrder of order <paramref name="orderId"/> on <paramref name="instrument"/>.</summary>
    public static OrderCommand CancelOrReplace(in BinaryMessage m, CommandOp op, long orderId, int account, int instrument)
    {
        if (op == CommandOp.Cancel) return OrderCommand.Cancel(orderId, account, instrument);
        bool hasPrice = (m.Flags & BinaryMessage.HasPriceFlag) != 0;
        return new OrderCommand
        {
            Op = CommandOp.Replace, OrderId = orderId, Account = account, Instrument = instrument, Price = hasPrice ? m.Price : 0,
            HasPrice = hasPrice, Quantity = m.Quantity, TriggerPrice = (m.Flags & BinaryMessage.HasTriggerFlag) != 0 ? m.TriggerPrice : 0,
        };
    }
}
