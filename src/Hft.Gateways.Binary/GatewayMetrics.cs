using Hft.Pipeline.Monitoring;
using Prometheus;

namespace Hft.Gateways.Binary;

/// <summary>
/// The order-entry gateway metrics on the server's own registry: hft_gateway_sessions{protocol},
/// hft_gateway_messages_total{protocol,direction}, hft_gateway_bytes_total{protocol,direction}, hft_gateway_disconnects_total{protocol,reason}. Children are
/// resolved up front so the session loops only increment.
/// </summary>
public sealed class GatewayMetrics
{
    private readonly Counter.Child[] _disconnects;

    public GatewayMetrics(CollectorRegistry registry, string protocol)
    {
        Sessions = GatewayMetricFamilies.Sessions(registry).WithLabels(protocol);
        var messages = GatewayMetricFamilies.Messages(registry);
        MessagesIn = messages.WithLabels(protocol, "in");
        MessagesOut = messages.WithLabels(protocol, "out");
        var bytes = GatewayMetricFamilies.Bytes(registry);
        BytesIn = bytes.WithLabels(protocol, "in");
        BytesOut = bytes.WithLabels(protocol, "out");
        var disconnects = GatewayMetricFamilies.Disconnects(registry);
        var reasons = Enum.GetValues<DisconnectReason>();
        _disconnects = new Counter.Child[reasons.Max(r => (int)r) + 1];
        foreach (var r in reasons) _disconnects[(int)r] = disconnects.WithLabels(protocol, ReasonName(r));
    }

    public Gauge.Child Sessions { get; }

    public Counter.Child MessagesIn { get; }

    public Counter.Child MessagesOut { get; }

    /// <summary>Bytes read from and written to the protocol's connections (one add per read or write call).</summary>
    public Counter.Child BytesIn { get; }

    public Counter.Child BytesOut { get; }

    public void Disconnected(DisconnectReason reason) => _disconnects[(int)reason].Inc();

    /// <summary>snake_case label of a reason (client_logout, bad_sequence, ...).</summary>
    public static string ReasonName(DisconnectReason reason) => reason switch
    {
        DisconnectReason.ClientLogout => "client_logout",
        DisconnectReason.MalformedFrame => "malformed_frame",
        DisconnectReason.OversizedFrame => "oversized_frame",
        DisconnectReason.TruncatedFrame => "truncated_frame",
        DisconnectReason.BadSequence => "bad_sequence",
        DisconnectReason.NotLoggedIn => "not_logged_in",
        DisconnectReason.UnknownMessageType => "unknown_message_type",
        DisconnectReason.HeartbeatTimeout => "heartbeat_timeout",
        DisconnectReason.SlowConsumer => "slow_consumer",
        DisconnectReason.ServerShutdown => "server_shutdown",
        DisconnectReason.LoginFailed => "login_failed",
        DisconnectReason.SessionLimit => "session_limit",
        DisconnectReason.ConnectionLost => "connection_lost",
        DisconnectReason.UnexpectedLogin => "unexpected_login",
        DisconnectReason.LoginTimeout => "login_timeout",
        DisconnectReason.ConnectionLimit => "connection_limit",
        DisconnectReason.AccountDisabled => "account_disabled",
        DisconnectReason.TlsHandshake => "tls_handshake",
        _ => "unknown",
    };
}
