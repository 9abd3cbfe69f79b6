using Hft.Core.Events;
using Hft.Core.Orders;

namespace Hft.Core.Matching;

/// <summary>Command kinds. Persisted: append only, never renumber.</summary>
public enum CommandOp : byte
{
    New = 1,
    Cancel = 2,
    Replace = 3,

    /// <summary>Cancel every live order of an account (on one instrument, or on all when Instrument is -1).</summary>
    MassCancel = 4,

    /// <summary>
    /// Cancel (reason expired) every good-till-date order whose expire time is at or before <see cref="OrderCommand.ExpireTime"/>,
    /// the sequencer's clock when it issued the command. The engine reads no clock: replay expires exactly the same orders.
    /// </summary>
    Expire = 5,
}

/// <summary>
/// The pipeline's command slot. A gateway (or the replay reader) fills it from a request, converting
/// decimal text to ticks and lots at the edge; the matching stage reads it. Plain struct, copied by ref.
/// </summary>
public struct OrderCommand
{
    /// <summary>Gateway: what to do.</summary>
    public CommandOp Op;

    /// <summary>Gateway: the order's id; unique among accepted orders of the engine.</summary>
    public long OrderId;

    /// <summary>Gateway: the account's dense index (interned at the edge).</summary>
    public int Account;

    /// <summary>Gateway: the instrument's dense index, or -1 when the symbol is unknown.</summary>
    public int Instrument;

    /// <summary>Gateway (new): side, type, time in force, post-only and self-trade prevention mode.</summary>
    public Side Side;
    public OrderType Type;
    public TimeInForce Tif;
    public SelfTradePrevention Stp;
    public bool PostOnly;

    /// <summary>
    /// Gateway (replace): false keeps the order's current price. Risk (new market order): true when
    /// <see cref="Price"/> is a protection limit the market order must not trade beyond (price band).
    /// </summary>
    public bool HasPrice;

    /// <summary>Gateway: limit price in ticks (new limit, replace).</summary>
    public long Price;

    /// <summary>Gateway: quantity in lots (new), or the new remaining quantity (replace).</summary>
    public long Quantity;

    /// <summary>
    /// Gateway: a reason found while converting the request at the edge (off-grid price, unknown symbol, ...).
    /// When set, the engine emits the rejection in sequence and changes nothing.
    /// </summary>
    public RejectReason EdgeReject;

    /// <summary>Gateway/admin (mass cancel): the reason given to every canceled order.</summary>
    public CancelReason CancelReason;

    /// <summary>Gateway (new stop / take-profit; replace of one, 0 keeps it): the trigger price in ticks.</summary>
    public long TriggerPrice;

    /// <summary>Gateway (new): an iceberg's displayed quantity in lots; 0 shows the whole order.</summary>
    public long DisplayQuantity;

    /// <summary>
    /// Gateway (new, time in force GTD): when the order expires, in Unix nanoseconds. Sequencer (<see cref="CommandOp.Expire"/>):
    /// the time the expiry runs for.
    /// </summary>
    public long ExpireTime;

    /// <summary>
    /// The trigger price this command gave order <paramref name="orderId"/>: a replace's new trigger (the order's
    /// Replaced event does not carry it), 0 when it gave none (the order keeps its trigger, or has none).
    /// </summary>
    public readonly long NewTriggerOf(long orderId) => Op == CommandOp.Replace && OrderId == orderId ? TriggerPrice : 0;

    public static OrderCommand NewLimit(long id, int account, int instrument, Side side, long price, long qty,
        TimeInForce tif = TimeInForce.Gtc, bool postOnly = false, SelfTradePrevention stp = SelfTradePrevention.None)
        => new()
        {
            Op = CommandOp.New, OrderId = id, Account = account, Instrument = instrument, Side = side,
            Type = OrderType.Limit, Tif = tif, Price = price, HasPrice = true, Quantity = qty, PostOnly = postOnly, Stp = stp,
        };

    public static OrderCommand NewMarket(long id, int account, int instrument, Side side, long qty,
        TimeInForce tif = TimeInForce.Ioc, SelfTradePrevention stp = SelfTradePrevention.None)
        => new()
        {
            Op = CommandOp.New, OrderId = id, Account = account, Instrument = instrument, Side = side,
            Type = OrderType.Market, Tif = tif, Quantity = qty, Stp = stp,
        };

    /// <summary>A stop / take-profit order: <paramref name="price"/> is its limit (ignored by the market-priced types).</summary>
    public static OrderCommand NewTriggered(long id, int account, int instrument, Side side, OrderType type, long triggerPrice,
        long price, long qty, TimeInForce tif = TimeInForce.Gtc, SelfTradePrevention stp = SelfTradePrevention.None)
        => new()
        {
            Op = CommandOp.New, OrderId = id, Account = account, Instrument = instrument, Side = side, Type = type, Tif = tif,
            TriggerPrice = triggerPrice, Price = type.HasLimitPrice() ? price : 0, HasPrice = type.HasLimitPrice(), Quantity = qty, Stp = stp,
        };

    /// <summary>Expires every good-till-date order due at <paramref name="now"/> (Unix nanoseconds).</summary>
    public static OrderCommand Expire(long now) => new() { Op = CommandOp.Expire, Instrument = -1, ExpireTime = now };

    public static OrderCommand Cancel(long id, int account, int instrument)
        => new() { Op = CommandOp.Cancel, OrderId = id, Account = account, Instrument = instrument };

    /// <summary>Cancels all live orders of <paramref name="account"/> (all instruments when <paramref name="instrument"/> is -1).</summary>
    public static OrderCommand MassCancel(int account, int instrument, CancelReason reason)
        => new() { Op = CommandOp.MassCancel, Account = account, Instrument = instrument, CancelReason = reason };

    public static OrderCommand Replace(long id, int account, int instrument, long price, long qty)
        => new()
        {
            Op = CommandOp.Replace, OrderId = id, Account = account, Instrument = instrument,
            Price = price, HasPrice = true, Quantity = qty,
        };
}
