namespace Hft.Configuration;

/// <summary>
/// [feed]: the reference price feed (marks, PnL valuation, price band reference when nothing traded yet) and what
/// happens when it goes stale. Defaults: off. See docs/FEED.md.
/// </summary>
public sealed record FeedConfig
{
    public static readonly string[] Adapters = ["none", "mock", "coinbase", "binance"];
    public static readonly string[] OnStaleActions = ["halt", "widen", "none"];

    /// <summary>Run the feed stage at all (false: no feed, no feed metrics beyond hft_feed_stale = 0).</summary>
    public bool Enabled { get; init; }

    /// <summary>none, mock (seeded random walk), coinbase (ticker channel JSON) or binance (bookTicker JSON).</summary>
    public string Adapter { get; init; } = "none";

    /// <summary>WebSocket URL of the coinbase/binance adapter (ws:// or wss://; production requires wss://).</summary>
    public string? Url { get; init; }

    /// <summary>Our symbol → the source's product id. Mock: empty means every enabled symbol with a mark_price.</summary>
    public IReadOnlyList<FeedSymbolConfig> Symbols { get; init; } = [];

    /// <summary>A symbol with no update for this long is stale (hft_feed_stale = 1, on_stale applies). 0.05..3600.</summary>
    public double StalenessSeconds { get; init; } = 10;

    /// <summary>halt (trading in the symbol stops until fresh prices return), widen (band × widen_factor), none (alert only).</summary>
    public string OnStale { get; init; } = "halt";

    /// <summary>Band multiplier while stale with on_stale = "widen": decimal text, more than 1, at most 100, at most 6 decimals.</summary>
    public string WidenFactor { get; init; } = "2";

    /// <summary>A new mark is applied (and journaled) at most this often per symbol. 0..3,600,000.</summary>
    public int MinMarkIntervalMs { get; init; } = 1000;

    /// <summary>... and only when it moved by at least this many ticks from the last applied mark. 1..10^9.</summary>
    public int MinMarkMoveTicks { get; init; } = 1;

    /// <summary>Mock adapter: random seed (same seed, same walk).</summary>
    public int MockSeed { get; init; } = 1;

    /// <summary>Mock adapter: largest step of the walk in basis points of the price (at least one tick). 0..10,000.</summary>
    public int MockVolatilityBps { get; init; } = 5;

    /// <summary>Mock adapter: milliseconds between price updates. 1..60,000.</summary>
    public int MockIntervalMs { get; init; } = 250;

    /// <summary>Reconnect backoff: first delay, doubled per failed attempt (with jitter) up to reconnect_max_ms.</summary>
    public int ReconnectMinMs { get; init; } = 250;

    public int ReconnectMaxMs { get; init; } = 30_000;
}

/// <summary>[[feed.symbols]]: one of our symbols and the source's product id for it (e.g. BTCUSD → "BTC-USD" or "btcusdt").</summary>
public sealed record FeedSymbolConfig
{
    public string Symbol { get; init; } = "";
    public string Product { get; init; } = "";
}
