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

    // ---- pre-trade risk (Hft.Risk) ----

    /// <summary>The account is unknown to the venue or disabled (kill switch).</summary>
    AccountDisabled = 7,

    /// <summary>Trading in the instrument is halted.</summary>
    InstrumentHalted = 8,

    /// <summary>Order quantity above the account's maximum order quantity.</summary>
    MaxQty = 9,

    /// <summary>Order notional (price × quantity) above the account's maximum order notional.</summary>
    MaxNotional = 10,

    /// <summary>Limit price further from the reference price than the instrument's band allows.</summary>
    PriceBand = 11,

    /// <summary>The account already has its maximum number of open orders.</summary>
    MaxOpenOrders = 12,

    /// <summary>Worst-case position (all open orders of that side filled) above the account's maximum position.</summary>
    MaxPosition = 13,

    /// <summary>Worst-case exposure above the account's credit.</summary>
    CreditLimit = 14,

    /// <summary>A market order needs a reference price (last trade or mark) to be risk-checked, and there is none.</summary>
    NoReferencePrice = 15,

    // ---- server admission ----

    /// <summary>The matching shard's queue is full; nothing was done.</summary>
    Overloaded = 16,

    /// <summary>The order rate limit was exceeded; nothing was done.</summary>
    RateLimited = 17,

    /// <summary>This node of a replicated group is not the leader: send order entry to the leader; nothing was done.</summary>
    NotLeader = 18,

    /// <summary>The server is stopping (or its journal failed): it takes no more commands; nothing was done.</summary>
    ShuttingDown = 19,

    // ---- order types (engine) ----

    /// <summary>Trigger price missing, zero, negative or too large on a stop / take-profit order, or given on another type.</summary>
    InvalidTriggerPrice = 20,

    /// <summary>The trigger price is already reached by the instrument's last trade: the order would trigger on entry.</summary>
    WouldTriggerImmediately = 21,

    /// <summary>Display quantity negative, above the quantity, off the lot grid, or given on an order that cannot rest.</summary>
    InvalidDisplayQty = 22,

    /// <summary>Good-till-date without an expire time (or one already past), or an expire time on another time in force.</summary>
    InvalidExpireTime = 23,
}

public static class RejectReasonNames
{
    private static readonly string[] s_names =
    [
        "none", "unknown_symbol", "invalid_price", "invalid_qty", "duplicate_id", "unknown_order", "invalid_order_type",
        "account_disabled", "instrument_halted", "max_qty", "max_notional", "price_band", "max_open_orders", "max_position",
        "credit_limit", "no_reference_price", "overloaded", "rate_limited", "not_leader", "shutting_down",
        "invalid_trigger_price", "would_trigger_immediately", "invalid_display_qty", "invalid_expire_time",
    ];

    public static string Name(this RejectReason reason)
        => (int)reason < s_names.Length ? s_names[(int)reason] : "unknown";

    public static IReadOnlyList<string> All => s_names;
}
