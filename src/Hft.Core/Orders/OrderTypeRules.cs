namespace Hft.Core.Orders;

/// <summary>What each order type and time in force implies; the one place these rules are written.</summary>
public static class OrderTypeRules
{
    /// <summary>
    /// Most slices an iceberg may be cut into (quantity ≤ display quantity × this), as Binance's iceberg-parts filter:
    /// bounds the trades and refreshes one incoming order can cause against one iceberg.
    /// </summary>
    public const long MaxIcebergSlices = 100;

    /// <summary>Waits off-book for a trigger price.</summary>
    public static bool IsTriggered(this OrderType type) => type is >= OrderType.Stop and <= OrderType.TakeProfitLimit;

    /// <summary>Carries a limit price (limit, stop-limit, take-profit limit); the others execute at market.</summary>
    public static bool HasLimitPrice(this OrderType type) => type is OrderType.Limit or OrderType.StopLimit or OrderType.TakeProfitLimit;

    public static bool IsKnown(this OrderType type) => type is >= OrderType.Limit and <= OrderType.TakeProfitLimit;

    /// <summary>
    /// True when a triggered order of this type and side fires on a rising price (last trade at or above the trigger):
    /// buy stops and sell take-profits. The others fire on a falling price (last trade at or below the trigger).
    /// </summary>
    public static bool TriggersOnRise(this OrderType type, Side side)
        => (type is OrderType.Stop or OrderType.StopLimit) == (side == Side.Buy);

    /// <summary>True when a last trade at <paramref name="lastTrade"/> fires a trigger at <paramref name="trigger"/>.</summary>
    public static bool Fires(bool onRise, long trigger, long lastTrade) => onRise ? lastTrade >= trigger : lastTrade <= trigger;

    /// <summary>The remainder of an order with this time in force may rest in the book.</summary>
    public static bool Rests(this TimeInForce tif) => tif is TimeInForce.Gtc or TimeInForce.Gtd;

    /// <summary>A market order never rests: a resting time in force means immediate-or-cancel for it.</summary>
    public static TimeInForce ForMarket(this TimeInForce tif) => tif.Rests() ? TimeInForce.Ioc : tif;

    public static bool IsKnown(this TimeInForce tif) => tif is >= TimeInForce.Gtc and <= TimeInForce.Gtd;
}
