namespace Hft.Core.Tests.Model;

/// <summary>
/// A live order of the reference model, resting or pending (a stop waiting for its trigger): a plain mutable object.
/// Resting orders are ordered by price then <see cref="Arrival"/>; pending ones by trigger then <see cref="Arrival"/>.
/// </summary>
public sealed class ModelOrder
{
    public required long Id { get; init; }
    public required int Account { get; init; }
    public required int Instrument { get; init; }
    public required Side Side { get; init; }
    public required long Price { get; set; }

    /// <summary>Resting: the displayed quantity. Pending: the order's quantity.</summary>
    public required long Remaining { get; set; }
    public required bool PostOnly { get; init; }
    public required SelfTradePrevention Stp { get; init; }

    /// <summary>Priority counter: later entries (re-entry after a replace, an iceberg refresh) get larger numbers.</summary>
    public required long Arrival { get; set; }

    /// <summary>Entry counter for mass cancel: set when the order rests or parks, kept by an iceberg refresh.</summary>
    public required long Entered { get; init; }

    public OrderType Type { get; init; } = OrderType.Limit;
    public TimeInForce Tif { get; init; } = TimeInForce.Gtc;
    public long TriggerPrice { get; set; }
    public long DisplayQuantity { get; init; }
    public long Hidden { get; set; }
    public long ExpireTime { get; init; }

    /// <summary>A pending market-priced stop: its price is a price-band limit (else it takes any price once fired).</summary>
    public bool BandLimit { get; init; }

    public long Total => Remaining + Hidden;

    public ModelOrder Clone() => (ModelOrder)MemberwiseClone();
}
