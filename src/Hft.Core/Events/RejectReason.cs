namespace Hft.Core.Events;

/// <summary>
/// Why a command was refused. The numeric values are persisted and sent on the wire:
/// append only, never renumber (pinned by a test). The text names are the public API.
/// </summary>
public enum RejectReason : byte
{
    None = 0,

    /// <summary>The symbol names no instrument of this engine.</summary>
    UnknownSymbol = 1,

    /// <summary>Price missing where required, not a number, zero, negative, off the tick grid or too large.</summary>
    InvalidPrice = 2,

    /// <summary>Quantity not a number, zero, negative, off the lot grid or too large.</summary>
    InvalidQty = 3,

    /// <summary>The order id was already used by an accepted order of this engine.</summary>
    DuplicateId = 4,

    /// <summary>Cancel or replace of an order that is not live, or that belongs to another account or symbol.</summary>
    UnknownOrder = 5,

    /// <summary>An order flag combination the engine does not accept: post-only on a market or IOC/FOK order.</summary>
    InvalidOrderType = 6,
}

public static class RejectReasonNames
{
    private static readonly string[] s_names =
    [
        "none", "unknown_symbol", "invalid_price", "invalid_qty", "duplicate_id", "unknown_order", "invalid_order_type",
    ];

    public static string Name(this RejectReason reason)
        => (int)reason < s_names.Length ? s_names[(int)reason] : "unknown";

    public static IReadOnlyList<string> All => s_names;
}
