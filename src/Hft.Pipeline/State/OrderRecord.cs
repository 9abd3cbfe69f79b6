using Hft.Core.Orders;

namespace Hft.Pipeline.State;

/// <summary>
/// The changing part of an <see cref="OrderRecord"/> at one moment: taken on the shard thread right after a command
/// was decided, it is what that command's acknowledgment reports (the live record may already show later commands
/// that are not durable yet).
/// </summary>
public readonly record struct OrderState(OrderStatus Status, long Price, long Quantity, long Filled, long Remaining, string? Reason);

/// <summary>Lifecycle state of an order as clients see it.</summary>
public enum OrderStatus : byte
{
    Pending = 0,
    New = 1,
    PartiallyFilled = 2,
    Filled = 3,
    Canceled = 4,
    Rejected = 5,

    /// <summary>A stop / take-profit waiting for its trigger price (off-book).</summary>
    PendingTrigger = 6,

    /// <summary>A stop / take-profit whose trigger fired: it entered matching (and rests, if it did not fill).</summary>
    Triggered = 7,
}

/// <summary>
/// What the venue remembers of one order for queries (GET /orders): written on the owning shard's thread under the
/// record's lock, read by API threads under the same lock.
/// </summary>
public sealed class OrderRecord
{
    public required long Id { get; init; }
    public required int Account { get; init; }
    public required string? ClientOrderId { get; init; }
    public required int Instrument { get; init; }
    public required Side Side { get; init; }
    public required OrderType Type { get; init; }
    public required TimeInForce Tif { get; init; }
    public required bool PostOnly { get; init; }
    public required SelfTradePrevention Stp { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Stop / take-profit: trigger price in ticks (0 for other types), as last replaced.</summary>
    public long TriggerPrice { get; set; }

    /// <summary>Iceberg: displayed slice size in lots (0 shows the whole order).</summary>
    public long DisplayQuantity { get; init; }

    /// <summary>Good till date: Unix nanoseconds (0 for none).</summary>
    public long ExpireTime { get; init; }

    public long Price { get; set; }
    public long Quantity { get; set; }
    public long Filled { get; set; }
    public long Remaining { get; set; }
    public OrderStatus Status { get; set; }
    public string? Reason { get; set; }

    /// <summary>
    /// The record of a new order as its command entered the pipeline, pending until the shard's events bring it up to
    /// date: the one way every gateway, recovery and replication describe an order (a market order has no price).
    /// </summary>
    public static OrderRecord Of(in Hft.Core.Matching.OrderCommand cmd, string? clientOrderId, DateTimeOffset createdAt) => new()
    {
        Id = cmd.OrderId, Account = cmd.Account, ClientOrderId = clientOrderId, Instrument = cmd.Instrument,
        Side = cmd.Side, Type = cmd.Type, Tif = cmd.Tif, PostOnly = cmd.PostOnly, Stp = cmd.Stp, CreatedAt = createdAt,
        Price = cmd.Type.HasLimitPrice() ? cmd.Price : 0, Quantity = cmd.Quantity,
        TriggerPrice = cmd.TriggerPrice, DisplayQuantity = cmd.DisplayQuantity, ExpireTime = cmd.ExpireTime,
        Remaining = cmd.Quantity, Status = OrderStatus.Pending,
    };

    public bool IsOpen => Status is OrderStatus.New or OrderStatus.PartiallyFilled or OrderStatus.Pending or OrderStatus.PendingTrigger
        or OrderStatus.Triggered;


    /// <summary>The changing part of the record, read under its lock.</summary>
    public OrderState Capture()
    {
        lock (this) return new OrderState(Status, Price, Quantity, Filled, Remaining, Reason);
    }

    public static string StatusName(OrderStatus s) => s switch
    {
        OrderStatus.Pending => "pending",
        OrderStatus.New => "new",
        OrderStatus.PartiallyFilled => "partially_filled",
        OrderStatus.Filled => "filled",
        OrderStatus.Canceled => "canceled",
        OrderStatus.PendingTrigger => "pending_trigger",
        OrderStatus.Triggered => "triggered",
        _ => "rejected",
    };
}
