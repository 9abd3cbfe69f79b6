using Hft.Core.Orders;

namespace Hft.Core.Book;

/// <summary>
/// The terms of an order slot that matching reads rarely (iceberg refresh, trigger, expiry), kept in an array beside
/// the <see cref="RestingOrder"/>s so that the matched struct stays one cache line.
/// </summary>
public struct OrderTerms
{
    /// <summary>Iceberg: quantity still hidden behind the displayed slice.</summary>
    public long Hidden;

    /// <summary>Iceberg: size of each displayed slice.</summary>
    public long DisplayQuantity;

    /// <summary>Good till date: Unix nanoseconds.</summary>
    public long ExpireTime;

    /// <summary>Pending stop: the trigger price in ticks.</summary>
    public long TriggerPrice;

    /// <summary>Pending stop: the type and time in force it executes with once triggered.</summary>
    public OrderType Type;
    public TimeInForce Tif;
}
