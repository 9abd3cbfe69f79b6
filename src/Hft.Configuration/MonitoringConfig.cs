namespace Hft.Configuration;

public sealed record MonitoringConfig
{
    /// <summary>Port of /metrics, /health, /ready, /debug (and the API unless [server] http_port differs).</summary>
    public int MetricsPort { get; init; } = 8080;

    public bool EnablePrometheus { get; init; } = true;

    internal static MonitoringConfig Bind(SectionReader r, MonitoringConfig defaults) => new()
    {
        MetricsPort = r.Int("metrics_port", defaults.MetricsPort, 1, 65_535),
        EnablePrometheus = r.Bool("enable_prometheus", defaults.EnablePrometheus),
    };
}
