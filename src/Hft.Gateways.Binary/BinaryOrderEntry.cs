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
    /// <summary>A NewOrder whose codes and flags the protocol defines (else: a session reject, invalid field).</summary>
    public static bool IsValidNewOrder(in BinaryMessage m)
        => m.Side is (Side.Buy or Side.Sell) && m.OrderType is (OrderType.Limit or OrderType.Market)
            && m.Tif is (TimeInForce.Gtc or TimeInForce.Ioc or TimeInForce.Fok) && (byte)m.Stp <= 3
            && (m.Flags & ~BinaryMessage.PostOnlyFlag) == 0;

    /// <summary>A ReplaceOrder with no flag but has-price (else: a session reject, invalid field).</summary>
    public static bool IsValidReplace(in BinaryMessage m) => (m.Flags & ~BinaryMessage.HasPriceFlag) == 0;

    /// <summary>The command of a valid NewOrder, under the exchange order id <paramref name="orderId"/> for the session's account.</summary>
    public static OrderCommand NewOrder(in BinaryMessage m, long orderId, int account)
    {
        bool postOnly = (m.Flags & BinaryMessage.PostOnlyFlag) != 0;
        var cmd = m.OrderType == OrderType.Limit
            ? OrderCommand.NewLimit(orderId, account, m.Instrument, m.Side, m.Price, m.Quantity, m.Tif, postOnly, m.Stp)
            : OrderCommand.NewMarket(orderId, account, m.Instrument, m.Side, m.Quantity, m.Tif, m.Stp);
        if (m.OrderType == OrderType.Market && m.Price != 0) cmd.EdgeReject = RejectReason.InvalidPrice; // a market order carries no price
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
            HasPrice = hasPrice, Quantity = m.Quantity,
        };
    }
}
