using Hft.Pipeline.Monitoring;
using Prometheus;

namespace Hft.Gateways.Fix;

/// <summary>
/// The gateway metrics, labelled protocol="fix" (the binary gateway uses the same names with protocol="binary"):
/// <c>hft_gateway_sessions</c>, <c>hft_gateway_messages_total{direction}</c>, <c>hft_gateway_bytes_total{direction}</c>, <c>hft_gateway_disconnects_total{reason}</c>.
/// </summary>
public sealed class FixMetrics
{
    private const string Protocol = "fix";

    public FixMetrics(CollectorRegistry registry)
    {
        Sessions = GatewayMetricFamilies.Sessions(registry).WithLabels(Protocol);
        var messages = GatewayMetricFamilies.Messages(registry);
        In = messages.WithLabels(Protocol, "in");
        Out = messages.WithLabels(Protocol, "out");
        Disconnects = GatewayMetricFamilies.Disconnects(registry);
        var bytes = GatewayMetricFamilies.Bytes(registry);
        BytesIn = bytes.WithLabels(Protocol, "in");
        BytesOut = bytes.WithLabels(Protocol, "out");
    }

    public Gauge.Child Sessions { get; }

    public Counter.Child In { get; }

    public Counter.Child Out { get; }

    /// <summary>Bytes read from and written to FIX connections (TLS: the plaintext FIX bytes).</summary>
    public Counter.Child BytesIn { get; }

    public Counter.Child BytesOut { get; }

    private Counter Disconnects { get; }

    public void Disconnected(string reason) => Disconnects.WithLabels(Protocol, reason).Inc();
}
