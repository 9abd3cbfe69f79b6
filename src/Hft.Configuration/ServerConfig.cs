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

    /// <summary>Public market-data reads (book, ticker, trades, instruments) one client address may make per second, sustained.</summary>
    public int PublicReadsPerSecond { get; init; } = 50;

    /// <summary>Public market-data reads one client address may make at once before <see cref="PublicReadsPerSecond"/> applies.</summary>
    public int PublicReadBurst { get; init; } = 100;

    // Not named Bind like the other sections' binders: the [server] bind key's property has that name.
    internal static ServerConfig BindSection(SectionReader r, ServerConfig defaults) => new()
    {
        HttpPort = r.Int("http_port", defaults.HttpPort, 0, 65_535),
        Bind = r.String("bind", defaults.Bind),
        MaxRequestBodyBytes = r.Int("max_request_body_bytes", defaults.MaxRequestBodyBytes, 1024, 64 * 1024 * 1024),
        AuditLog = r.String("audit_log", defaults.AuditLog),
        PublicReadsPerSecond = r.Int("public_reads_per_second", defaults.PublicReadsPerSecond, 1, 1_000_000),
        PublicReadBurst = r.Int("public_read_burst", defaults.PublicReadBurst, 1, 1_000_000),
    };

    internal void Validate(BindContext ctx)
    {
        if (Bind != "localhost" && !IPAddress.TryParse(Bind, out _))
            throw ctx.Error("server", "bind", $"must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::) or localhost, got \"{Bind}\"");
        if (string.IsNullOrWhiteSpace(AuditLog))
            throw ctx.Error("server", "audit_log", "must not be empty");
        if (PublicReadBurst < PublicReadsPerSecond)
            throw ctx.Error("server", "public_read_burst", $"must be at least public_reads_per_second ({PublicReadsPerSecond}), got {PublicReadBurst}");
    }
}
