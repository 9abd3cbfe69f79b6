using System.Net;

namespace Hft.Configuration;

public sealed record ServerConfig
{
    /// <summary>API port (/api/v1, /ws); 0 or equal to metrics_port = share the operations listener (development only).</summary>
    public int HttpPort { get; init; }

    /// <summary>True when the API has no listener of its own: it shares the operations listener ([monitoring] metrics_port).</summary>
    public bool SharesOperationsPort(MonitoringConfig monitoring) => HttpPort == 0 || HttpPort == monitoring.MetricsPort;

    /// <summary>Address to bind (127.0.0.1 in development, 0.0.0.0 in containers).</summary>
    public string Bind { get; init; } = "127.0.0.1";

    /// <summary>Largest accepted request body in bytes.</summary>
    public int MaxRequestBodyBytes { get; init; } = 16 * 1024;

    /// <summary>Audit log file (JSON lines).</summary>
    public string AuditLog { get; init; } = "data/audit.log";

    // Not named Bind like the other sections' binders: the [server] bind key's property has that name.
    internal static ServerConfig BindSection(SectionReader r, ServerConfig defaults) => new()
    {
        HttpPort = r.Int("http_port", defaults.HttpPort, 0, 65_535),
        Bind = r.String("bind", defaults.Bind),
        MaxRequestBodyBytes = r.Int("max_request_body_bytes", defaults.MaxRequestBodyBytes, 1024, 64 * 1024 * 1024),
        AuditLog = r.String("audit_log", defaults.AuditLog),
    };

    internal void Validate(BindContext ctx)
    {
        if (Bind != "localhost" && !IPAddress.TryParse(Bind, out _))
            throw ctx.Error("server", "bind", $"must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::) or localhost, got \"{Bind}\"");
        if (string.IsNullOrWhiteSpace(AuditLog))
            throw ctx.Error("server", "audit_log", "must not be empty");
    }
}
