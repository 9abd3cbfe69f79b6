namespace Hft.Core.Matching;

/// <summary>
/// Running totals kept by the engine, in lots. They make quantity conservation checkable at any time:
/// <c>Entered == 2 × Traded + Canceled + Withdrawn + Resting</c>.
/// </summary>
public struct EngineCounters
{
    public long Commands;
    public long Accepted;
    public long Rejected;
    public long Trades;

    /// <summary>Quantity that entered the book or matching: accepted orders, and replaced orders re-entering.</summary>
    public long EnteredQuantity;

    /// <summary>Quantity traded (each trade fills a maker and a taker by this much).</summary>
    public long TradedQuantity;

    /// <summary>Quantity removed by cancels (user, IOC, FOK, post-only, self-trade, market).</summary>
    public long CanceledQuantity;

    /// <summary>Quantity removed by replace: reductions in place, and the old remainder of a re-entering order.</summary>
    public long WithdrawnQuantity;
}
