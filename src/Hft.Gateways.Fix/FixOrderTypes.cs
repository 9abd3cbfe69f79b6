using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Gateways.Fix;

/// <summary>
/// OrdType (40) and the order-type terms of a NewOrderSingle: StopPx (99) for stop and stop-limit orders, MaxFloor (111)
/// for an iceberg's displayed quantity, ExpireTime (126) with TimeInForce 6 (GTD). Converted at the edge, like Price.
/// <para>Take-profit: FIX 4.4 has no OrdType for it. A stop (3) or stop limit (4) with the venue's TriggerDirection
/// (5109) against the stop's own direction (a buy that fires on a fall, D; a sell that fires on a rise, U) is a
/// take-profit (limit); the same direction as a stop's is a plain stop. Reported back as OrdType 3 or 4.</para>
/// </summary>
internal static class FixOrderTypes
{
    /// <summary>The order type of an OrdType the gateway accepts (1 market, 2 limit, 3 stop, 4 stop limit).</summary>
    public static OrderType Of(byte ordType) => ordType switch
    {
        (byte)'1' => OrderType.Market,
        (byte)'3' => OrderType.Stop,
        (byte)'4' => OrderType.StopLimit,
        _ => OrderType.Limit,
    };

    /// <summary>OrdType (40) in execution reports: a take-profit as the stop type it was entered as.</summary>
    public static byte Code(OrderType type) => type switch
    {
        OrderType.Market => (byte)'1',
        OrderType.Stop or OrderType.TakeProfit => (byte)'3',
        OrderType.StopLimit or OrderType.TakeProfitLimit => (byte)'4',
        _ => (byte)'2',
    };

    /// <summary>Reads StopPx, MaxFloor and ExpireTime into <paramref name="cmd"/>; false with OrdRejReason and text when one is wrong.</summary>
    public static bool TryReadTerms(FixMessage m, Instrument instrument, ref OrderCommand cmd, out int ordRejReason, out string? problem)
    {
        ordRejReason = 99;
        if (!TryReadTrigger(m, instrument, ref cmd, out problem)) return false;
        if (m.TryGet(FixTags.MaxFloor, out var maxFloor) && instrument.TryParseQuantity(maxFloor, out cmd.DisplayQuantity) != RejectReason.None)
        {
            problem = $"MaxFloor is not a positive multiple of lot {instrument.Lot}";
            return false;
        }
        bool hasExpire = m.TryGet(FixTags.ExpireTime, out var expire);
        if (hasExpire != (cmd.Tif == TimeInForce.Gtd))
        {
            problem = hasExpire ? "ExpireTime (126) is only for TimeInForce 6 (GTD)" : "TimeInForce 6 (GTD) needs ExpireTime (126)";
            return false;
        }
        if (hasExpire)
        {
            if (!FixDictionary.TryParseUtcTimestamp(expire, out long ticks) || ticks <= DateTime.UtcNow.Ticks)
            {
                problem = "ExpireTime must be a UTCTimestamp in the future";
                return false;
            }
            cmd.ExpireTime = (ticks - DateTime.UnixEpoch.Ticks) * 100;
        }
        return true;
    }

    /// <summary>
    /// Price (44): on a type with a limit price, a price on the tick grid (absent: <paramref name="hasPrice"/> false);
    /// refused on a market-priced type (market, stop). For a NewOrderSingle and an OrderCancelReplaceRequest.
    /// </summary>
    public static bool TryReadPrice(FixMessage m, Instrument instrument, OrderType type, out long ticks, out bool hasPrice, out string? problem)
    {
        ticks = 0;
        problem = null;
        hasPrice = m.TryGet(FixTags.Price, out var price);
        if (!hasPrice) return true;
        if (!type.HasLimitPrice())
        {
            problem = "a market or stop order takes no Price";
            return false;
        }
        if (instrument.TryParsePrice(price, out ticks) == RejectReason.None) return true;
        problem = $"Price is not a positive multiple of tick {instrument.Tick}";
        return false;
    }

    /// <summary>
    /// Reads StopPx (99) into the trigger price of <paramref name="cmd"/> (a stop or stop-limit type: required; other
    /// types: refused) and TriggerDirection (5109), which turns a stop against its own direction into a take-profit.
    /// The one reading of both for a NewOrderSingle and an OrderCancelReplaceRequest.
    /// </summary>
    public static bool TryReadTrigger(FixMessage m, Instrument instrument, ref OrderCommand cmd, out string? problem)
    {
        problem = null;
        bool hasStopPx = m.TryGet(FixTags.StopPx, out var stopPx);
        if (cmd.Type.IsTriggered() != hasStopPx)
        {
            problem = hasStopPx ? "only a stop or stop limit order takes StopPx (99)" : "a stop or stop limit order needs StopPx (99)";
            return false;
        }
        if (hasStopPx && instrument.TryParsePrice(stopPx, out cmd.TriggerPrice) != RejectReason.None)
        {
            problem = $"StopPx is not a positive multiple of tick {instrument.Tick}";
            return false;
        }
        if (m.TryGet(FixCustomTags.TriggerDirection, out var direction))
        {
            if (!hasStopPx || direction.Length != 1 || direction[0] is not ((byte)'U' or (byte)'D'))
            {
                problem = "TriggerDirection (5109) is U or D, on a stop or stop limit order";
                return false;
            }
            bool onRise = direction[0] == (byte)'U';
            if (onRise != OrderType.Stop.TriggersOnRise(cmd.Side))
                cmd.Type = cmd.Type == OrderType.Stop ? OrderType.TakeProfit : OrderType.TakeProfitLimit;
        }
        return true;
    }

    /// <summary>TriggerDirection (5109) of a stop or take-profit type: U when it fires on a rise of the last trade, else D.</summary>
    public static byte TriggerDirectionCode(OrderType type, Side side) => type.TriggersOnRise(side) ? (byte)'U' : (byte)'D';
}
