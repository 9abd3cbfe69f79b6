using Hft.Core.Orders;

namespace Hft.Core.Matching;

/// <summary>An order entering matching: a new order, a replaced one re-entering, or a stop released by its trigger.</summary>
internal struct Entry
{
    public long Id;
    public int Account;
    public Side Side;

    /// <summary>Limit price in ticks; long.MaxValue / long.MinValue for a market order without price-band protection.</summary>
    public long Limit;
    public long Quantity;
    public TimeInForce Tif;
    public bool Market;
    public bool PostOnly;
    public SelfTradePrevention Stp;

    /// <summary>Iceberg slice size; 0 shows the whole order.</summary>
    public long DisplayQuantity;

    /// <summary>Good till date: Unix nanoseconds; 0 for none.</summary>
    public long ExpireTime;

    /// <summary>The price events show: the limit, 0 for a market order.</summary>
    public readonly long EventPrice => Market ? 0 : Limit;
}
