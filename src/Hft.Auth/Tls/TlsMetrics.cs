using Prometheus;

namespace Hft.Auth.Tls;

/// <summary>hft_tls_*: when the certificate in use expires (alert well before) and certificate reloads that failed.</summary>
public sealed class TlsMetrics
{
    private readonly Gauge _notAfter;
    private readonly Counter _reloadFailures;

    public TlsMetrics(CollectorRegistry registry)
    {
        var f = Metrics.WithCustomRegistry(registry);
        _notAfter = f.CreateGauge("hft_tls_certificate_expiry_timestamp_seconds", "Unix time at which the certificate in use expires (alert: minus time() below 14 days).");
        _reloadFailures = f.CreateCounter("hft_tls_reload_failures_total", "Changed certificate files that could not be loaded (the previous certificate stays in use).");
    }

    internal void Loaded(TlsMaterial material) => _notAfter.Set(new DateTimeOffset(material.Certificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds());

    internal void ReloadFailed() => _reloadFailures.Inc();
}
