using Hft.Core.Events;
using Hft.Core.Numerics;

namespace Hft.Core.Instruments;

/// <summary>
/// A tradable instrument: its symbol and the grids prices and quantities live on.
/// Inside the engine a price is a count of ticks and a quantity a count of lots (both <c>long</c>);
/// this type is the one place where decimal text is converted to and from those counts.
/// </summary>
public sealed class Instrument
{
    /// <summary>Largest price accepted, in ticks (10^15).</summary>
    public const long MaxPriceTicks = 1_000_000_000_000_000;

    /// <summary>
    /// Largest order quantity accepted, in lots (10^12). Kept well below <c>long.MaxValue</c> so that a price
    /// level's total (a sum of up to millions of orders) cannot overflow.
    /// </summary>
    public const long MaxQuantityLots = 1_000_000_000_000;

    public Instrument(int index, string symbol, ScaledUnit tick, ScaledUnit lot)
    {
        Index = index;
        Symbol = symbol;
        Tick = tick;
        Lot = lot;
    }

    /// <summary>Dense index of this instrument in its engine (0, 1, 2, ...).</summary>
    public int Index { get; }

    public string Symbol { get; }

    public ScaledUnit Tick { get; }

    public ScaledUnit Lot { get; }

    /// <summary>Converts a decimal price text into ticks, or gives <see cref="RejectReason.InvalidPrice"/>.</summary>
    public RejectReason TryParsePrice(ReadOnlySpan<byte> text, out long ticks)
        => TryParse(text, Tick, MaxPriceTicks, RejectReason.InvalidPrice, out ticks);

    /// <summary>Converts a decimal quantity text into lots, or gives <see cref="RejectReason.InvalidQty"/>.</summary>
    public RejectReason TryParseQuantity(ReadOnlySpan<byte> text, out long lots)
        => TryParse(text, Lot, MaxQuantityLots, RejectReason.InvalidQty, out lots);

    private static RejectReason TryParse(ReadOnlySpan<byte> text, ScaledUnit unit, long max, RejectReason reason, out long units)
    {
        units = 0;
        if (DecimalText.TryParse(text, out var m, out var s) != DecimalParseStatus.Ok || m == 0) return reason;
        if (unit.TryToUnits(m, s, max, out units, out _) != DecimalParseStatus.Ok) return reason;
        return RejectReason.None;
    }

    public string FormatPrice(long ticks) => Tick.ToString(ticks);

    public string FormatQuantity(long lots) => Lot.ToString(lots);

    public int FormatPrice(long ticks, Span<byte> dest) => Tick.Format(ticks, dest);

    public int FormatQuantity(long lots, Span<byte> dest) => Lot.Format(lots, dest);

    public override string ToString() => $"{Symbol} tick={Tick} lot={Lot}";
}
