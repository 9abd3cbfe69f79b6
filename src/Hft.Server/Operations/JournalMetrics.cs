using System.Diagnostics;
using Hft.Journal;
using Prometheus;

namespace Hft.Server.Operations;

/// <summary>
/// The journal's metrics: <c>hft_journal_fsync_seconds</c> (histogram, observed on the journal thread after each fsync),
/// <c>hft_journal_bytes_total</c>, <c>hft_journal_errors_total{op}</c> (write, fsync, open) and <c>hft_journal_failed</c>
/// (1 once the journal stopped on an I/O error). Always exported; with journal mode none everything stays 0.
/// </summary>
public sealed class JournalMetrics : IJournalObserver, IDisposable
{
    private readonly ScrapeHook _scrape;
    /// <summary>Fsync buckets (seconds): 50 μs … 2.5 s; the alert threshold (p99 > 50 ms) sits on a bucket bound.</summary>
    public static readonly double[] FsyncBuckets =
    [
        50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 500e-3, 1.0, 2.5,
    ];

    private static readonly double s_secondsPerTick = 1.0 / Stopwatch.Frequency;
    private static readonly string[] s_operations = ["write", "fsync", "open", "replicate"];

    private readonly JournalWriter _journal;
    private readonly Histogram _fsync;
    private readonly Counter _bytes;
    private readonly Counter.Child[] _errors;
    private readonly Gauge _failed;

    public JournalMetrics(JournalWriter journal, CollectorRegistry registry)
    {
        _journal = journal;
        var f = Metrics.WithCustomRegistry(registry);
        f.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = static (_, _) => Exemplar.None };
        _fsync = f.CreateHistogram("hft_journal_fsync_seconds", "Time one fsync of a journal segment took (group commit: one per batch in sync mode).",
            new HistogramConfiguration { Buckets = FsyncBuckets });
        _bytes = f.CreateCounter("hft_journal_bytes_total", "Bytes written to journal segments (record headers and payloads).");
        var errors = f.CreateCounter("hft_journal_errors_total", "Journal I/O failures by operation (write, fsync, open); the first one stops the journal.", "op");
        _errors = new Counter.Child[s_operations.Length];
        for (int i = 0; i < s_operations.Length; i++) _errors[i] = errors.WithLabels(s_operations[i]);
        _failed = f.CreateGauge("hft_journal_failed", "1 when the journal stopped on an I/O error (orders are refused), else 0.");
        _scrape = ScrapeHook.Register(registry, Collect);
        journal.Observer = this;
    }

    public void OnFsync(long elapsedTicks) => _fsync.Observe(elapsedTicks * s_secondsPerTick);

    public void OnError(JournalOperation operation) => _errors[Math.Clamp((int)operation, 0, _errors.Length - 1)].Inc();

    private void Collect()
    {
        _bytes.IncTo(_journal.Stats.Bytes);
        _failed.Set(_journal.Failure is null ? 0 : 1);
    }

    /// <summary>Stops collecting for scrapes (the host disposes it when the node stops).</summary>
    public void Dispose() => _scrape.Dispose();
}
