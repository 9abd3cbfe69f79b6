using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Orders;

namespace Hft.Core.Matching;

public sealed partial class MatchingEngine
{
    /// <summary>
    /// The engine's own checks of a command, without changing anything: what <see cref="Process"/>
    /// would reject it for, or <see cref="RejectReason.None"/>. Lets a pipeline run these before pre-trade risk.
    /// </summary>
    public RejectReason Validate(in OrderCommand cmd)
    {
        if (cmd.EdgeReject != RejectReason.None) return cmd.EdgeReject;
        if (cmd.Op == CommandOp.Expire) return RejectReason.None;
        if (Book(cmd.Instrument) is null) return RejectReason.UnknownSymbol;
        switch (cmd.Op)
        {
            case CommandOp.New:
            {
                var shape = ValidateNewOrder(in cmd);
                if (shape != RejectReason.None) return shape;
                if (cmd.Type.IsTriggered() && WouldFire(cmd.Instrument, cmd.Type.TriggersOnRise(cmd.Side), cmd.TriggerPrice))
                    return RejectReason.WouldTriggerImmediately;
                if (_ids.Find(cmd.OrderId) != OrderIdIndex.Absent) return RejectReason.DuplicateId;
                return RejectReason.None;
            }
            case CommandOp.Cancel:
                return FindOwned(in cmd) < 0 ? RejectReason.UnknownOrder : RejectReason.None;
            case CommandOp.Replace:
                return ValidateReplace(in cmd);
            default:
                return RejectReason.None;
        }
    }

    /// <summary>
    /// The checks of a new order that need no book: price (types with a limit), quantity, side, type, time in force,
    /// STP mode, the post-only combination, trigger price, display quantity and expire time. Part of <see cref="Validate"/>;
    /// gateways call it at the edge so that an order the engine would refuse for its shape is refused with the same
    /// reason before it takes an id.
    /// </summary>
    public static RejectReason ValidateNewOrder(in OrderCommand cmd)
    {
        bool marketPriced = cmd.Type is OrderType.Market or OrderType.Stop or OrderType.TakeProfit;
        if (!marketPriced && !IsValidPrice(cmd.Price)) return RejectReason.InvalidPrice;
        if (!IsValidQuantity(cmd.Quantity)) return RejectReason.InvalidQty;
        if (!IsKnown(cmd.Side) || !cmd.Type.IsKnown() || !cmd.Tif.IsKnown() || !IsKnown(cmd.Stp)
            || (cmd.PostOnly && (marketPriced || !cmd.Tif.Rests()))
            || (cmd.Type == OrderType.Market && cmd.Tif == TimeInForce.Gtd))
            return RejectReason.InvalidOrderType;
        if (cmd.Type.IsTriggered() ? !IsValidPrice(cmd.TriggerPrice) : cmd.TriggerPrice != 0) return RejectReason.InvalidTriggerPrice;
        if (cmd.DisplayQuantity != 0
            && (cmd.DisplayQuantity < 0 || cmd.DisplayQuantity > cmd.Quantity || marketPriced || !cmd.Tif.Rests()
                || cmd.Quantity > cmd.DisplayQuantity * OrderTypeRules.MaxIcebergSlices))
            return RejectReason.InvalidDisplayQty;
        if (cmd.Tif == TimeInForce.Gtd ? cmd.ExpireTime <= 0 : cmd.ExpireTime != 0) return RejectReason.InvalidExpireTime;
        return RejectReason.None;
    }

    /// <summary>
    /// Replace: price (unless the order is a pending market-priced stop, whose price cannot change), quantity (an iceberg
    /// keeps its display quantity, so at most <see cref="OrderTypeRules.MaxIcebergSlices"/> of them), and a new
    /// trigger price only on a pending stop, one the last trade has not already reached.
    /// </summary>
    private RejectReason ValidateReplace(in OrderCommand cmd)
    {
        int slot = FindOwned(in cmd);
        if (slot < 0) return RejectReason.UnknownOrder;
        ref var o = ref _orders[slot];
        ref var terms = ref _orders.Terms(slot);
        bool pending = (o.Flags & OrderFlags.Pending) != 0;
        if ((!pending || terms.Type.HasLimitPrice()) && !IsValidPrice(cmd.HasPrice ? cmd.Price : o.Price)) return RejectReason.InvalidPrice;
        if (!IsValidQuantity(cmd.Quantity)) return RejectReason.InvalidQty;
        if (terms.DisplayQuantity > 0 && cmd.Quantity > terms.DisplayQuantity * OrderTypeRules.MaxIcebergSlices) return RejectReason.InvalidDisplayQty;
        if (cmd.TriggerPrice != 0)
        {
            if (!pending || !IsValidPrice(cmd.TriggerPrice)) return RejectReason.InvalidTriggerPrice;
            if (WouldFire(o.Instrument, terms.Type.TriggersOnRise(o.Side), cmd.TriggerPrice)) return RejectReason.WouldTriggerImmediately;
        }
        return RejectReason.None;
    }

    /// <summary>True when the instrument's last trade has already reached the trigger: such a stop would fire on entry.</summary>
    private bool WouldFire(int instrument, bool onRise, long trigger)
    {
        long last = _stops[instrument]!.LastTrade;
        return last > 0 && OrderTypeRules.Fires(onRise, trigger, last);
    }

    private static bool IsValidPrice(long ticks) => ticks > 0 && ticks <= Instrument.MaxPriceTicks;

    private static bool IsValidQuantity(long lots) => lots > 0 && lots <= Instrument.MaxQuantityLots;

    private static bool IsKnown(Side s) => s is Side.Buy or Side.Sell;

    private static bool IsKnown(SelfTradePrevention s) => s <= SelfTradePrevention.CancelBoth;
}
