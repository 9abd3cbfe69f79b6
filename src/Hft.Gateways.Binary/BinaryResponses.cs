using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Gateways.Binary;

/// <summary>
/// The order responses a session sends for the engine's events (sessions, and the in-process benchmark of the gateway
/// path): which fields of an event each message carries. <c>clientOrderId</c> is the client's id of the order.
/// </summary>
public static class BinaryResponses
{
    /// <summary>OrderAccepted; type and time in force are known only for the command's own order.</summary>
    public static BinaryMessage Accepted(in EngineEvent e, in OrderCommand command, ulong clientOrderId)
    {
        bool own = command.OrderId == e.OrderId;
        return new BinaryMessage
        {
            Type = MessageType.OrderAccepted, ClientOrderId = clientOrderId, OrderId = e.OrderId, Instrument = e.Instrument,
            Side = e.Side, OrderType = own ? command.Type : default, Tif = own ? command.Tif : default, Price = e.Price, Quantity = e.Quantity,
        };
    }

    public static BinaryMessage Rejected(ulong clientOrderId, long orderId, int instrument, CommandOp op, RejectReason reason)
        => new()
        {
            Type = MessageType.OrderRejected, ClientOrderId = clientOrderId, OrderId = orderId, Instrument = instrument,
            Op = (byte)op, Reason = (byte)reason,
        };

    /// <summary>A Fill of one side of a trade event: the taker's (<see cref="EngineEvent.OrderId"/>) or the maker's.</summary>
    public static BinaryMessage Fill(in EngineEvent e, ulong clientOrderId, long orderId, long execId, long leaves, Liquidity liquidity)
        => new()
        {
            Type = MessageType.Fill, ClientOrderId = clientOrderId, OrderId = orderId, ExecId = execId, Price = e.Price,
            Quantity = e.Quantity, Leaves = leaves, Instrument = e.Instrument,
            Side = liquidity == Liquidity.Taker ? e.Side : e.Side.Opposite(), Liquidity = liquidity,
        };

    public static BinaryMessage Canceled(in EngineEvent e, ulong clientOrderId)
        => new()
        {
            Type = MessageType.Canceled, ClientOrderId = clientOrderId, OrderId = e.OrderId, Instrument = e.Instrument,
            Quantity = e.Remaining, Reason = (byte)e.CancelReason,
        };

    /// <summary>Triggered (version 2 sessions): the pending order fired; its fills and cancel follow as for a new order.</summary>
    public static BinaryMessage Triggered(in EngineEvent e, ulong clientOrderId)
        => new()
        {
            Type = MessageType.Triggered, ClientOrderId = clientOrderId, OrderId = e.OrderId, Instrument = e.Instrument,
            Price = e.Price, Quantity = e.Quantity, Side = e.Side,
        };

    /// <summary>
    /// Replaced; ReplacedV2 when the replace gave the pending order the new trigger <paramref name="newTrigger"/> (0:
    /// it gave none, or the session speaks version 1).
    /// </summary>
    public static BinaryMessage Replaced(in EngineEvent e, ulong clientOrderId, long newTrigger)
        => new()
        {
            Type = newTrigger != 0 ? MessageType.ReplacedV2 : MessageType.Replaced, ClientOrderId = clientOrderId, OrderId = e.OrderId,
            Instrument = e.Instrument, Price = e.Price, Leaves = e.Quantity, TriggerPrice = newTrigger,
        };

    /// <summary>Refreshed (version 2 sessions): an iceberg shows a new slice from its reserve, at the back of its price level.</summary>
    public static BinaryMessage Refreshed(in EngineEvent e, ulong clientOrderId)
        => new()
        {
            Type = MessageType.Refreshed, ClientOrderId = clientOrderId, OrderId = e.OrderId, Instrument = e.Instrument,
            Price = e.Price, Quantity = e.Quantity, Leaves = e.Remaining, Side = e.Side,
        };
}
