using Hft.Server.Operations;
using Prometheus;

namespace Hft.Server.MarketData;

/// <summary>
/// The WebSocket market-data feed's health at scrape time: open connections, slow-consumer notices and user-stream
/// resyncs, connections closed because their token lapsed, commands the shards could not hand to the publisher, the
/// deepest per-connection send queue, and the connections' messages and bytes (hft_gateway_messages_total and
/// hft_gateway_bytes_total, protocol="ws").
/// </summary>
public sealed class MarketDataMetrics : IDisposable
{
    private readonly ScrapeHook _scrape;
    private readonly MarketDataPublisher _publisher;
    private readonly MarketDataObserver _observer;
    private readonly Gauge _connections;
    private readonly Gauge _maxQueued;
    private readonly Counter _overflows;
    private readonly Counter _conflations;
    private readonly Counter _userResyncs;
    private readonly Counter _tokenCloses;
    private readonly Counter _dropped;
    private readonly Counter.Child _messagesIn, _messagesOut, _bytesIn, _bytesOut;

    public MarketDataMetrics(MarketDataPublisher publisher, MarketDataObserver observer, CollectorRegistry registry)
    {
        _publisher = publisher;
        _observer = observer;
        var f = Metrics.WithCustomRegistry(registry);
        _connections = f.CreateGauge("hft_ws_connections", "Open /ws connections.");
        _maxQueued = f.CreateGauge("hft_ws_max_queued_messages", "Messages queued on the most backed-up /ws connection.");
        _overflows = f.CreateCounter("hft_ws_slow_consumer_notices_total", "Resync notices sent to /ws connections whose send queue overflowed.");
        _conflations = f.CreateCounter("hft_ws_slow_consumer_conflations_total", "Level2 subscriptions moved to conflated updates because their /ws send queue was half full.");
        _userResyncs = f.CreateCounter("hft_ws_user_resyncs_total", "User-channel streams resynced because their event queue overflowed.");
        _tokenCloses = f.CreateCounter("hft_ws_token_closes_total", "Authenticated /ws connections closed because their token expired or was revoked.");
        _dropped = f.CreateCounter("hft_marketdata_dropped_commands_total", "Commands the shards could not queue for the publisher (books resynced).");
        var messages = Hft.Pipeline.Monitoring.GatewayMetricFamilies.Messages(registry);
        var bytes = Hft.Pipeline.Monitoring.GatewayMetricFamilies.Bytes(registry);
        _messagesIn = messages.WithLabels("ws", "in");
        _messagesOut = messages.WithLabels("ws", "out");
        _bytesIn = bytes.WithLabels("ws", "in");
        _bytesOut = bytes.WithLabels("ws", "out");
        _scrape = ScrapeHook.Register(registry, Collect);
    }

    private void Collect()
    {
        _connections.Set(_publisher.OpenConnections);
        _maxQueued.Set(_publisher.MaxQueued());
        _overflows.IncTo(_publisher.OverflowNotices);
        _conflations.IncTo(_publisher.SlowConsumerConflations);
        _userResyncs.IncTo(_publisher.UserResyncs);
        _tokenCloses.IncTo(_publisher.TokenCloses);
        _dropped.IncTo(_observer.Dropped);
        var traffic = _publisher.Traffic;
        _messagesIn.IncTo(traffic.MessagesIn);
        _messagesOut.IncTo(traffic.MessagesOut);
        _bytesIn.IncTo(traffic.BytesIn);
        _bytesOut.IncTo(traffic.BytesOut);
    }

    /// <summary>Stops collecting for scrapes (the host disposes it when the node stops).</summary>
    public void Dispose() => _scrape.Dispose();
}
