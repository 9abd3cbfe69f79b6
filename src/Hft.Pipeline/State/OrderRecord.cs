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

    public long Price { get; set; }
    public long Quantity { get; set; }
    public long Filled { get; set; }
    public long Remaining { get; set; }
    public OrderStatus Status { get; set; }
    public string? Reason { get; set; }

    public bool IsOpen => Status is OrderStatus.New or OrderStatus.PartiallyFilled or OrderStatus.Pending;

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
        _ => "rejected",
    };
}
