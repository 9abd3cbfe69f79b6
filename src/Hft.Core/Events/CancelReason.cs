namespace Hft.Core.Events;

/// <summary>Why a live or incoming order was canceled. Persisted: append only, never renumber.</summary>
public enum CancelReason : byte
{
    None = 0,

    /// <summary>The owner asked for it.</summary>
    User = 1,

    /// <summary>The unfilled remainder of an immediate-or-cancel limit order.</summary>
    IocRemainder = 2,

    /// <summary>A fill-or-kill order that could not fill completely; nothing traded.</summary>
    FokUnfilled = 3,

    /// <summary>A post-only order that would have crossed on entry; canceled whole.</summary>
    PostOnlyWouldCross = 4,

    /// <summary>Self-trade prevention canceled this order (the incoming one, the resting one, or both).</summary>
    SelfTrade = 5,

    /// <summary>The remainder of a market order once the opposite side ran out.</summary>
    MarketNoLiquidity = 6,

    /// <summary>The remainder of a market order whose next price lay beyond its price-band protection.</summary>
    PriceBand = 7,

    /// <summary>The account was disabled (kill switch): all its open orders are canceled.</summary>
    AccountDisabled = 8,

    /// <summary>An operator canceled the order (admin cancel-all).</summary>
    Admin = 9,

    /// <summary>A good-till-date order whose expire time passed (expiry command from the sequencer).</summary>
    Expired = 10,
}

public static class CancelReasonNames
{
    private static readonly string[] s_names =
    [
        "none", "user", "ioc_remainder", "fok_unfilled", "post_only_would_cross", "self_trade", "market_no_liquidity",
        "price_band", "account_disabled", "admin", "expired",
    ];

    public static string Name(this CancelReason reason)
        => (int)reason < s_names.Length ? s_names[(int)reason] : "unknown";

    public static IReadOnlyList<string> All => s_names;
}
