using Hft.Pipeline.Replication;
using Prometheus;

namespace Hft.Server.Replication;

/// <summary>
/// hft_replication_dr_*: how far a disaster-recovery replica ([dr] enabled) is behind the group it follows, read at
/// scrape time. <c>hft_replication_dr_lag_seconds</c> is the RPO at this moment: how long ago the replica last held every
/// record a source had committed (it grows while no source is reachable); the alert HftDrReplicaLagging fires when it
/// nears the one-minute RPO. Exported by a DR replica only.
/// </summary>
public sealed class DrMetrics : IDisposable
{
    private readonly Operations.ScrapeHook _scrape;
    private readonly DrFollower _dr;
    private readonly Gauge _lagSeconds, _lagRecords, _connected, _applied, _source, _promoted;
    private readonly Counter _reconnects;

    public DrMetrics(DrFollower dr, CollectorRegistry registry)
    {
        _dr = dr;
        var f = Metrics.WithCustomRegistry(registry);
        _lagSeconds = f.CreateGauge("hft_replication_dr_lag_seconds",
            "Seconds since this DR replica last held every record its source had committed (the RPO now); 0 once promoted.");
        _lagRecords = f.CreateGauge("hft_replication_dr_lag_records", "Committed records the source reported that this DR replica does not hold yet.");
        _connected = f.CreateGauge("hft_replication_dr_connected", "1 while a journal stream from a source is open.");
        _applied = f.CreateGauge("hft_replication_dr_applied_sequence", "Last journal record this DR replica holds and applied.");
        _source = f.CreateGauge("hft_replication_dr_source_sequence", "Last committed journal record the source reported.");
        _promoted = f.CreateGauge("hft_replication_dr_promoted", "1 once this DR replica was promoted to a venue of its own (it follows nothing).");
        _reconnects = f.CreateCounter("hft_replication_dr_reconnects_total", "Journal streams opened after the first (lost streams, refusals, source changes).");
        _scrape = Operations.ScrapeHook.Register(registry, Collect);
    }

    private void Collect()
    {
        _lagSeconds.Set(Math.Round(_dr.LagSeconds, 3));
        _lagRecords.Set(_dr.LagRecords);
        _connected.Set(_dr.Connected ? 1 : 0);
        _applied.Set(_dr.AppliedSequence);
        _source.Set(_dr.SourceSequence);
        _promoted.Set(_dr.Promotion is null ? 0 : 1);
        _reconnects.IncTo(_dr.Reconnects);
    }

    /// <summary>Stops collecting for scrapes (the host disposes it when the node stops).</summary>
    public void Dispose() => _scrape.Dispose();
}
