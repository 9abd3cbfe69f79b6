using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Gateways.Fix;

/// <summary>
/// OrdType (40) and the order-type terms of a NewOrderSingle: StopPx (99) for stop and stop-limit orders, MaxFloor (111)
/// for an iceberg's displayed quantity, ExpireTime (126) with TimeInForce 6 (GTD). Converted at the edge, like Price.
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

    /// <summary>OrdType (40) in execution reports.</summary>
    public static byte Code(OrderType type) => type switch
    {
        OrderType.Market or OrderType.TakeProfit => (byte)'1',
        OrderType.Stop => (byte)'3',
        OrderType.StopLimit => (byte)'4',
        _ => (byte)'2',
    };

    /// <summary>Reads StopPx, MaxFloor and ExpireTime into <paramref name="cmd"/>; false with OrdRejReason and text when one is wrong.</summary>
    public static bool TryReadTerms(FixMessage m, Instrument instrument, ref OrderCommand cmd, out int ordRejReason, out string? problem)
    {
        ordRejReason = 99;
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
}
