using Hft.Core.Orders;

namespace Hft.Core.Tests.Model;

/// <summary>A resting order of the reference model: a plain mutable object, ordered by price then <see cref="Arrival"/>.</summary>
public sealed class ModelOrder
{
    public required long Id { get; init; }
    public required int Account { get; init; }
    public required int Instrument { get; init; }
    public required Side Side { get; init; }
    public required long Price { get; init; }
    public required long Remaining { get; set; }
    public required bool PostOnly { get; init; }
    public required SelfTradePrevention Stp { get; init; }

    /// <summary>Entry counter: later entries (including re-entry after a replace) get larger numbers.</summary>
    public required long Arrival { get; init; }
}
