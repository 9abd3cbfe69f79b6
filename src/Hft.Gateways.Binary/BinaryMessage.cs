using Hft.Core.Orders;

namespace Hft.Gateways.Binary;

/// <summary>
/// One decoded fixed-layout message of either direction (all but Login's credential), a plain struct: the codec
/// reads a frame into it and writes it out without allocating. Which fields mean something depends on
/// <see cref="Type"/> (docs/protocol/binary.md lists each layout). Prices are ticks, quantities lots, both int64.
/// </summary>
public struct BinaryMessage
{
    public MessageType Type;

    /// <summary>The frame's sequence number (per direction, per session, from 1).</summary>
    public uint Sequence;

    /// <summary>The client's id of the order (new, cancel, replace and every order response) or of a mass cancel request.</summary>
    public ulong ClientOrderId;

    /// <summary>The exchange's order id (0 = none / look up by client order id).</summary>
    public long OrderId;

    /// <summary>Fill: execution id, unique within the session.</summary>
    public long ExecId;

    /// <summary>Ticks (new limit, replace, accepted, fill, replaced).</summary>
    public long Price;

    /// <summary>Lots: order quantity (new, accepted), new remaining (replace), fill quantity, canceled quantity, an iceberg's new displayed slice (refreshed).</summary>
    public long Quantity;

    /// <summary>Lots still open after a fill, replace or refresh (an iceberg's: displayed and hidden).</summary>
    public long Leaves;

    /// <summary>Instrument id (its position in the server's [trading] instruments, from 0); -1 = all (mass cancel).</summary>
    public int Instrument;

    public Side Side;
    public OrderType OrderType;
    public TimeInForce Tif;
    public SelfTradePrevention Stp;

    /// <summary>
    /// Ticks. NewOrderV2: the trigger price of a stop / take-profit order (0 for other types). ReplaceOrderV2: the new
    /// trigger (with <see cref="HasTriggerFlag"/>). ReplacedV2: the trigger the replace gave the pending order.
    /// </summary>
    public long TriggerPrice;

    /// <summary>NewOrderV2: an iceberg's displayed quantity in lots; 0 shows the whole order.</summary>
    public long DisplayQuantity;

    /// <summary>NewOrderV2: a good-till-date order's expire time in Unix nanoseconds; 0 for other times in force.</summary>
    public long ExpireTime;

    /// <summary>
    /// New order: bit 0 post-only. Replace: bit 0 the price field is set (else the price is kept); ReplaceOrderV2 also
    /// bit 1 the trigger price field is set (else the trigger is kept).
    /// </summary>
    public byte Flags;

    /// <summary>Reason code: RejectReason (OrderRejected), CancelReason (Canceled), LoginRejectReason, DisconnectReason (Logout), SessionRejectReason.</summary>
    public byte Reason;

    /// <summary>OrderRejected: the operation refused (Hft.Core CommandOp: 1 new, 2 cancel, 3 replace, 4 mass cancel).</summary>
    public byte Op;

    public Liquidity Liquidity;

    /// <summary>MassCancelDone: orders canceled. LoginAccepted: number of instruments.</summary>
    public uint Count;

    /// <summary>LoginAccepted: protocol version.</summary>
    public ushort Version;

    /// <summary>LoginAccepted: heartbeat interval the server expects, in milliseconds.</summary>
    public uint HeartbeatMs;

    /// <summary>LoginAccepted: the session's order message limit per second (0 = unlimited).</summary>
    public uint MaxRate;

    /// <summary>SessionReject: sequence and type of the refused message.</summary>
    public uint RefSequence;

    public MessageType RefType;

    public const byte PostOnlyFlag = 1;
    public const byte HasPriceFlag = 1;
    public const byte HasTriggerFlag = 2;
}
