using Hft.Server.Operations;
using Prometheus;

namespace Hft.Server.MarketData;

/// <summary>
/// The WebSocket market-data feed's health at scrape time: open connections, slow-consumer notices and user-stream
/// resyncs, commands the shards could not hand to the publisher, and the deepest per-connection send queue.
/// </summary>
public sealed class MarketDataMetrics : IDisposable
{
    private readonly ScrapeHook _scrape;
    private readonly MarketDataPublisher _publisher;
    private readonly MarketDataObserver _observer;
    private readonly Gauge _connections;
    private readonly Gauge _maxQueued;
    private readonly Counter _overflows;
    private readonly Counter _userResyncs;
    private readonly Counter _dropped;

    public MarketDataMetrics(MarketDataPublisher publisher, MarketDataObserver observer, CollectorRegistry registry)
    {
        _publisher = publisher;
        _observer = observer;
        var f = Metrics.WithCustomRegistry(registry);
        _connections = f.CreateGauge("hft_ws_connections", "Open /ws connections.");
        _maxQueued = f.CreateGauge("hft_ws_max_queued_messages", "Messages queued on the most backed-up /ws connection.");
        _overflows = f.CreateCounter("hft_ws_slow_consumer_notices_total", "Resync notices sent to /ws connections whose send queue overflowed.");
        _userResyncs = f.CreateCounter("hft_ws_user_resyncs_total", "User-channel streams resynced because their event queue overflowed.");
        _dropped = f.CreateCounter("hft_marketdata_dropped_commands_total", "Commands the shards could not queue for the publisher (books resynced).");
        _scrape = ScrapeHook.Register(registry, Collect);
    }

    private void Collect()
    {
        _connections.Set(_publisher.OpenConnections);
        _maxQueued.Set(_publisher.MaxQueued());
        _overflows.IncTo(_publisher.OverflowNotices);
        _userResyncs.IncTo(_publisher.UserResyncs);
        _dropped.IncTo(_observer.Dropped);
    }

    /// <summary>Stops collecting for scrapes (the host disposes it when the node stops).</summary>
    public void Dispose() => _scrape.Dispose();
}
