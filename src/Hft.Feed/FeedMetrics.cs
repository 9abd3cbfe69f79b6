using Prometheus;

namespace Hft.Feed;

/// <summary>
/// The feed's Prometheus series, on the server's registry: per-symbol age of the last update and stale flag (the
/// stale flag is exported for EVERY enabled symbol, 0 when the feed is off, so alert rules can always reference it),
/// whether a feed runs at all (<c>hft_feed_enabled</c>, which the stale alert requires),
/// updates, refused messages, reconnects, connection state and marks applied.
/// </summary>
public sealed class FeedMetrics
{
    public FeedMetrics(CollectorRegistry registry)
    {
        var f = Metrics.WithCustomRegistry(registry);
        Staleness = f.CreateGauge("hft_feed_staleness_seconds", "Seconds since the last reference price update (since start before the first).",
            "source", "symbol");
        Stale = f.CreateGauge("hft_feed_stale", "1 while the symbol's reference price is older than [feed] staleness_seconds, else 0.", "symbol");
        Updates = f.CreateCounter("hft_feed_updates_total", "Reference price updates received.", "source", "symbol");
        Rejected = f.CreateCounter("hft_feed_rejected_total", "Feed messages refused and skipped, by reason.", "source", "reason");
        Reconnects = f.CreateCounter("hft_feed_reconnects_total", "Times the feed connection was lost (each followed by a reconnect with backoff).",
            "source");
        Connected = f.CreateGauge("hft_feed_connected", "1 while the feed source is connected.", "source");
        Enabled = f.CreateGauge("hft_feed_enabled", "1 when a reference price feed runs ([feed] enabled with an adapter other than none), else 0.");
        MarksApplied = f.CreateCounter("hft_feed_marks_applied_total", "Feed prices applied (journaled) as mark prices, after rate limiting.",
            "symbol");
    }

    public Gauge Staleness { get; }
    public Gauge Stale { get; }
    public Counter Updates { get; }
    public Counter Rejected { get; }
    public Counter Reconnects { get; }
    public Gauge Connected { get; }
    public Gauge Enabled { get; }
    public Counter MarksApplied { get; }
}
