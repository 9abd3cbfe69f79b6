using Hft.Core.Numerics;

namespace Hft.Risk;

/// <summary>
/// An account's pre-trade limits. Every limit is optional: null means unlimited. Quantities are in instrument
/// units (e.g. 0.5 BTC), money in the venue's quote currency; both exact <see cref="Amount"/>s.
/// </summary>
public sealed record AccountLimits
{
    /// <summary>Exposure ceiling: Σ |position| × mark + Σ open quantity × limit price.</summary>
    public Amount? Credit { get; init; }

    public Amount? MaxOrderQty { get; init; }

    public Amount? MaxOrderNotional { get; init; }

    /// <summary>Per instrument, worst case with all open orders of one side filled.</summary>
    public Amount? MaxPosition { get; init; }

    public int? MaxOpenOrders { get; init; }

    /// <summary>Fee on a maker fill in basis points of notional (negative = rebate).</summary>
    public Amount MakerFeeBps { get; init; }

    /// <summary>Fee on a taker fill in basis points of notional.</summary>
    public Amount TakerFeeBps { get; init; }

    public static AccountLimits Unlimited { get; } = new();
}
