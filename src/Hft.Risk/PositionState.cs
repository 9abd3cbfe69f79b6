using Hft.Core.Numerics;

namespace Hft.Risk;

/// <summary>
/// One account's state in one instrument. Position and open quantities in lots; money in <see cref="Amount"/>.
/// Average-cost method: <see cref="Cost"/> is the signed cost basis of the open position (Σ signed qty × price of
/// the fills that opened it, less the share removed by reducing fills), so average price = Cost / position.
/// </summary>
public struct PositionState
{
    /// <summary>Signed position in lots (long &gt; 0, short &lt; 0).</summary>
    public long Position;

    /// <summary>Remaining quantity of open (resting) buy orders, in lots.</summary>
    public long OpenBuy;

    /// <summary>Remaining quantity of open (resting) sell orders, in lots.</summary>
    public long OpenSell;

    /// <summary>Signed cost basis of the open position.</summary>
    public Amount Cost;

    /// <summary>Realized PnL, net of fees.</summary>
    public Amount Realized;

    /// <summary>Fees paid (negative for net rebates).</summary>
    public Amount Fees;

    /// <summary>Set on the first fill or order: the instrument appears in the account's reports.</summary>
    public bool Active;

    /// <summary>
    /// Applies a fill of <paramref name="lots"/> at <paramref name="priceTicks"/> (buy when <paramref name="buy"/>),
    /// by the average-cost method: a fill in the direction of the position adds to it and its cost; a fill against
    /// it realizes (fill price − average price) × closed quantity; any excess opens a new position at the fill price.
    /// </summary>
    public void ApplyFill(bool buy, long lots, long priceTicks, Int128 notionalUnit, Amount fee)
    {
        Active = true;
        long signed = buy ? lots : -lots;
        if (fee.Raw != 0)
        {
            Fees += fee;
            Realized -= fee;
        }
        if (Position == 0 || (Position > 0) == buy)
        {
            Position += signed;
            Cost += Amount.Product(signed, priceTicks, notionalUnit);
            return;
        }
        long open = Math.Abs(Position);
        long closing = Math.Min(lots, open);
        Amount removed = closing == open ? Cost : Cost.MulDiv(closing, open);
        // proceeds of the closing part, signed like the position: a long sells (+), a short buys back (-)
        Amount closeValue = Amount.Product(Position > 0 ? closing : -closing, priceTicks, notionalUnit);
        Realized += closeValue - removed;
        Cost -= removed;
        Position += buy ? closing : -closing;
        long excess = lots - closing;
        if (excess > 0)
        {
            Position = buy ? excess : -excess;
            Cost = Amount.Product(Position, priceTicks, notionalUnit);
        }
        else if (Position == 0)
        {
            Cost = Amount.Zero;
        }
    }

    /// <summary>Unrealized PnL at <paramref name="markTicks"/>: position × mark − cost basis.</summary>
    public readonly Amount Unrealized(long markTicks, Int128 notionalUnit)
        => Position == 0 || markTicks == 0 ? Amount.Zero : Amount.Product(Position, markTicks, notionalUnit) - Cost;
}
