using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Core.Events;

/// <summary>What happened. Persisted: append only, never renumber.</summary>
public enum EventKind : byte
{
    Accepted = 1,
    Rejected = 2,
    Trade = 3,
    Canceled = 4,
    Replaced = 5,

    /// <summary>A stop / take-profit order's trigger fired: it leaves the pending set and enters matching now.</summary>
    Triggered = 6,

    /// <summary>An iceberg's displayed slice was filled and a new slice came from its reserve, at the back of its level.</summary>
    Refreshed = 7,
}

/// <summary>
/// One event emitted by the matching engine, a plain struct written into the engine's pre-allocated
/// event buffer. Which fields mean something depends on <see cref="Kind"/>:
/// <list type="bullet">
/// <item>Accepted: OrderId, Account, Instrument, Side, Price (0 for market), Quantity.</item>
/// <item>Rejected: OrderId, Account, Instrument (-1 when unknown), Op, RejectReason.</item>
/// <item>Trade: Instrument, Price (the maker's), Quantity, OrderId/Account = taker, MakerOrderId/MakerAccount,
/// Side = taker side, Remaining = taker remaining after the fill, MakerRemaining.</item>
/// <item>Canceled: OrderId, Account, Instrument, Side, Price, Remaining (quantity canceled), CancelReason.</item>
/// <item>Replaced: OrderId, Account, Instrument, Side, Price and Quantity (new remaining).</item>
/// <item>Triggered: OrderId, Account, Instrument, Side, Price (limit, 0 for a market one), Quantity.</item>
/// <item>Refreshed: OrderId, Account, Instrument, Side, Price, Quantity (the new displayed slice), Remaining (total,
/// displayed and hidden).</item>
/// </list>
/// A Trade's MakerRemaining for an iceberg maker is its total remaining (displayed and hidden).
/// </summary>
public struct EngineEvent
{
    public EventKind Kind;
    public CommandOp Op;
    public Side Side;
    public RejectReason RejectReason;
    public CancelReason CancelReason;
    public int Instrument;
    public int Account;
    public int MakerAccount;
    public long OrderId;
    public long MakerOrderId;
    public long Price;
    public long Quantity;
    public long Remaining;
    public long MakerRemaining;

    public override readonly string ToString() => Kind switch
    {
        EventKind.Accepted => $"accepted id={OrderId} {Side} px={Price} qty={Quantity}",
        EventKind.Rejected => $"rejected id={OrderId} op={Op} reason={RejectReason.Name()}",
        EventKind.Trade => $"trade px={Price} qty={Quantity} maker={MakerOrderId} taker={OrderId} takerSide={Side}",
        EventKind.Canceled => $"canceled id={OrderId} remaining={Remaining} reason={CancelReason.Name()}",
        EventKind.Replaced => $"replaced id={OrderId} px={Price} qty={Quantity}",
        EventKind.Triggered => $"triggered id={OrderId} px={Price} qty={Quantity}",
        EventKind.Refreshed => $"refreshed id={OrderId} px={Price} slice={Quantity} remaining={Remaining}",
        _ => Kind.ToString(),
    };
}
