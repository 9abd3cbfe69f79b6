using Prometheus;

namespace Hft.Pipeline.Monitoring;

/// <summary>
/// The metric families every order-entry gateway shares, labelled by protocol (binary, fix; http and ws for the REST host and /ws): one definition, so the
/// binary and FIX gateways register identical families on the server's registry.
/// </summary>
public static class GatewayMetricFamilies
{
    public static Gauge Sessions(CollectorRegistry registry)
        => Metrics.WithCustomRegistry(registry).CreateGauge("hft_gateway_sessions", "Order-entry sessions logged on, by protocol.", "protocol");

    public static Counter Messages(CollectorRegistry registry)
        => Metrics.WithCustomRegistry(registry).CreateCounter("hft_gateway_messages_total",
            "Order-entry protocol messages, by protocol and direction (in = from clients).", "protocol", "direction");

    /// <summary>
    /// Bytes read from and written to clients, by protocol (binary, fix, http, ws) and direction: the gateways' network
    /// usage (application bytes; with TLS, before encryption). Counted once per read or write call, not per message.
    /// </summary>
    public static Counter Bytes(CollectorRegistry registry)
        => Metrics.WithCustomRegistry(registry).CreateCounter("hft_gateway_bytes_total",
            "Bytes read from (in) and written to (out) clients, by protocol (binary, fix, http, ws) and direction.", "protocol", "direction");

    public static Counter Disconnects(CollectorRegistry registry)
        => Metrics.WithCustomRegistry(registry).CreateCounter("hft_gateway_disconnects_total",
            "Order-entry connections closed, by protocol and reason.", "protocol", "reason");
}
