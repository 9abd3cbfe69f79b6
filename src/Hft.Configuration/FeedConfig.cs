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

    /// <summary>The adapters that read a remote WebSocket source (need url and a symbol mapping).</summary>
    internal bool IsRemote => Adapter is "coinbase" or "binance";

    internal static FeedConfig Bind(SectionReader r, FeedConfig defaults) => new()
    {
        Enabled = r.Bool("enabled", defaults.Enabled),
        Adapter = r.String("adapter", defaults.Adapter).Trim().ToLowerInvariant(),
        Url = r.StringOrNull("url", defaults.Url),
        Symbols = r.BindTableArray("symbols", defaults.Symbols, FeedSymbolConfig.Bind),
        StalenessSeconds = r.Double("staleness_seconds", defaults.StalenessSeconds, 0.05, 3600),
        OnStale = r.String("on_stale", defaults.OnStale).Trim().ToLowerInvariant(),
        WidenFactor = r.Decimal("widen_factor", defaults.WidenFactor) ?? throw r.Error("widen_factor", "must not be empty"),
        MinMarkIntervalMs = r.Int("min_mark_interval_ms", defaults.MinMarkIntervalMs, 0, 3_600_000),
        MinMarkMoveTicks = r.Int("min_mark_move_ticks", defaults.MinMarkMoveTicks, 1, 1_000_000_000),
        MockSeed = r.Int("mock_seed", defaults.MockSeed, int.MinValue, int.MaxValue),
        MockVolatilityBps = r.Int("mock_volatility_bps", defaults.MockVolatilityBps, 0, 10_000),
        MockIntervalMs = r.Int("mock_interval_ms", defaults.MockIntervalMs, 1, 60_000),
        ReconnectMinMs = r.Int("reconnect_min_ms", defaults.ReconnectMinMs, 1, 600_000),
        ReconnectMaxMs = r.Int("reconnect_max_ms", defaults.ReconnectMaxMs, 1, 3_600_000),
    };

    /// <summary>Adapter, action, factor, backoff, what a remote adapter needs, and a one-to-one symbol mapping.</summary>
    internal void Validate(BindContext ctx)
    {
        const string s = "feed";
        if (Array.IndexOf(Adapters, Adapter) < 0)
            throw ctx.Error(s, "adapter", $"must be one of {string.Join(", ", Adapters)}, got \"{Adapter}\"");
        if (Array.IndexOf(OnStaleActions, OnStale) < 0)
            throw ctx.Error(s, "on_stale", $"must be one of {string.Join(", ", OnStaleActions)}, got \"{OnStale}\"");
        DecimalChecks.RequireRange(WidenFactor, s, "widen_factor", "1", false, "100", ctx);
        if (DecimalChecks.Parse(WidenFactor).Raw % RawPerMillionth != 0)
            throw ctx.Error(s, "widen_factor", $"at most 6 decimals, got {WidenFactor}");
        if (ReconnectMaxMs < ReconnectMinMs)
            throw ctx.Error(s, "reconnect_max_ms", $"must be at least reconnect_min_ms ({ReconnectMinMs}), got {ReconnectMaxMs}");

        if (IsRemote && Enabled)
        {
            if (Url is null) throw ctx.Error(s, "url", $"required for adapter {Adapter} (a ws:// or wss:// URL)");
            if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
                throw ctx.Error(s, "url", $"must be an absolute ws:// or wss:// URL, got \"{Url}\"");
            if (Symbols.Count == 0)
                throw ctx.Error(s, "symbols", $"adapter {Adapter} needs at least one [[feed.symbols]] entry (symbol and product)");
        }

        var symbols = new HashSet<string>(StringComparer.Ordinal);
        var products = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Symbols.Count; i++)
        {
            var m = Symbols[i];
            var section = $"feed.symbols[{i}]";
            if (!symbols.Add(m.Symbol)) throw ctx.Error(section, "symbol", $"\"{m.Symbol}\" is mapped twice");
            m.Validate(section, ctx);
            if (products.TryGetValue(m.Product, out int first))
                throw ctx.Error(section, "product", $"\"{m.Product}\" is already mapped by feed.symbols[{first}]");
            products[m.Product] = i;
        }
    }

    // Amount has 18 decimals: one millionth is 10^12 raw units.
    private const long RawPerMillionth = 1_000_000_000_000;

    /// <summary>widen_factor (validated) in millionths.</summary>
    internal static long WidenPpm(string factor) => (long)(DecimalChecks.Parse(factor).Raw / RawPerMillionth);
}
