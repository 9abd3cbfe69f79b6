using System.Diagnostics;
using Hft.Pipeline;
using Hft.Pipeline.Monitoring;
using Prometheus;

namespace Hft.Server.Operations;

/// <summary>
/// Gauges of the server's state, collected when Prometheus scrapes (a before-collect callback of the server's own
/// registry): queues, throughput and error rate over a sliding window, halts, recovery and snapshots, and the process
/// (CPU, memory, GC, thread pool, uptime) - all named <c>hft_*</c>. The per-account series are <see cref="AccountMetrics"/>.
/// </summary>
public sealed class StateMetrics : IDisposable
{
    private readonly ScrapeHook _scrape;
    /// <summary>Throughput and error rate are computed over (at least) this window, or since start when younger.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly TradingPipeline _pipeline;
    private readonly PipelineMetrics _metrics;
    private readonly object _gate = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Queue<(long Time, PipelineTotals Totals)> _window = new();

    private readonly Gauge _queueDepth, _queueCapacity, _throughput, _errorRate;
    private readonly Gauge _halted, _accepting;
    private readonly Counter _cpu, _gcCollections, _gcPause, _allocated;
    private readonly Gauge _resident, _workingSet, _memoryLimit, _gcHeap, _gcPauseRatio, _threadPoolThreads, _threadPoolQueue, _uptime;
    private readonly Gauge _recoverySnapshot, _recoveryRecords, _recoverySeconds, _snapshotSequence, _snapshotAge;
    private readonly Counter _snapshots;

    static StateMetrics()
    {
        // Every family this server exposes is hft_*: keep prometheus-net's default collectors (process, .NET event
        // counters, meters) off the process-wide default registry, which nothing here serves anyway.
        Metrics.SuppressDefaultMetrics();
    }

    public StateMetrics(TradingPipeline pipeline, PipelineMetrics metrics, CollectorRegistry registry)
    {
        _pipeline = pipeline;
        _metrics = metrics;
        _window.Enqueue((_started, default));
        var f = Metrics.WithCustomRegistry(registry);

        _queueDepth = f.CreateGauge("hft_queue_depth", "Commands waiting in a matching shard's ring.", "shard");
        _queueCapacity = f.CreateGauge("hft_queue_capacity", "Capacity of a matching shard's ring.", "shard");
        _throughput = f.CreateGauge("hft_throughput_orders_per_second",
            $"New orders processed per second over the last {RateWindow.TotalSeconds:0} s (or since start).");
        _errorRate = f.CreateGauge("hft_error_rate",
            $"Rejected or refused commands / commands submitted over the last {RateWindow.TotalSeconds:0} s (or since start); 0..1.");
        _halted = f.CreateGauge("hft_halted", "1 when trading in the instrument is halted.", "symbol");
        _accepting = f.CreateGauge("hft_accepting", "1 while the pipeline accepts commands (started, not shutting down).");

        _cpu = f.CreateCounter("hft_process_cpu_seconds_total", "CPU time (user + system) used by the process.");
        _resident = f.CreateGauge("hft_process_resident_memory_bytes", "Resident set size of the process.");
        _workingSet = f.CreateGauge("hft_process_working_set_bytes", "Working set of the process as .NET reports it.");
        _memoryLimit = f.CreateGauge("hft_memory_limit_bytes", "Memory available to the process (container limit or physical memory).");
        _gcCollections = f.CreateCounter("hft_gc_collections_total", "Garbage collections, by generation.", "generation");
        _gcHeap = f.CreateGauge("hft_gc_heap_bytes", "Managed heap size after the last collection.");
        _allocated = f.CreateCounter("hft_gc_allocated_bytes_total", "Bytes allocated on the managed heap.");
        _gcPause = f.CreateCounter("hft_gc_pause_seconds_total", "Time the runtime was paused for garbage collection.");
        _gcPauseRatio = f.CreateGauge("hft_gc_pause_ratio", "Share of the elapsed time spent in GC pauses (as of the last collection), 0..1.");
        _threadPoolThreads = f.CreateGauge("hft_threadpool_threads", "Thread pool threads.");
        _threadPoolQueue = f.CreateGauge("hft_threadpool_queue_length", "Work items queued to the thread pool.");
        _uptime = f.CreateGauge("hft_uptime_seconds", "Seconds since the server was created.");

        _recoverySnapshot = f.CreateGauge("hft_recovery_snapshot_sequence", "Journal sequence of the snapshot start-up recovery restored (0 = none).");
        _recoveryRecords = f.CreateGauge("hft_recovery_records_replayed", "Journal records start-up recovery replayed after the snapshot.");
        _recoverySeconds = f.CreateGauge("hft_recovery_seconds", "Time start-up recovery took (snapshot restore and journal replay).");
        _snapshotSequence = f.CreateGauge("hft_snapshot_sequence", "Journal sequence covered by the last snapshot this process wrote (0 = none yet).");
        _snapshotAge = f.CreateGauge("hft_snapshot_age_seconds", "Seconds since this process last wrote a snapshot (-1 = none yet).");
        _snapshots = f.CreateCounter("hft_snapshots_total", "Snapshots written by this process (periodic, admin, shutdown).");
        var recovery = pipeline.Recovery;
        _recoverySnapshot.Set(recovery.SnapshotSequence);
        _recoveryRecords.Set(recovery.RecordsReplayed);
        _recoverySeconds.Set(recovery.Elapsed.TotalSeconds);

        _scrape = ScrapeHook.Register(registry, Collect);
    }

    private void Collect()
    {
        lock (_gate)
        {
            CollectPipeline();
            CollectProcess();
        }
    }

    private void CollectPipeline()
    {
        foreach (var shard in _pipeline.Shards)
        {
            string label = shard.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _queueDepth.WithLabels(label).Set(shard.QueueDepth);
            _queueCapacity.WithLabels(label).Set(shard.QueueCapacity);
        }
        foreach (var inst in _pipeline.Instruments.All)
            _halted.WithLabels(inst.Symbol).Set(_pipeline.RiskBook.Instrument(inst.Index)!.Halted ? 1 : 0);
        _accepting.Set(_pipeline.Accepting ? 1 : 0);
        var snapshot = _pipeline.Snapshots.Last;
        _snapshotSequence.Set(snapshot?.Sequence ?? 0);
        _snapshotAge.Set(snapshot is null ? -1 : (DateTimeOffset.UtcNow - snapshot.Written).TotalSeconds);
        _snapshots.IncTo(_pipeline.Snapshots.Taken);

        // Sliding window: keep the newest sample at or before now - window as the base (the start when younger).
        long now = Stopwatch.GetTimestamp();
        var totals = _metrics.Totals();
        _window.Enqueue((now, totals));
        long windowStart = now - (long)(RateWindow.TotalSeconds * Stopwatch.Frequency);
        while (_window.Count > 2 && _window.ElementAt(1).Time <= windowStart) _window.Dequeue();
        var (baseTime, baseTotals) = _window.Peek();
        double seconds = (now - baseTime) / (double)Stopwatch.Frequency;
        long commands = totals.Commands - baseTotals.Commands;
        _throughput.Set(seconds > 0 ? (totals.NewOrders - baseTotals.NewOrders) / seconds : 0);
        _errorRate.Set(commands > 0 ? (totals.Rejects - baseTotals.Rejects) / (double)commands : 0);
    }

    private void CollectProcess()
    {
        _cpu.IncTo(Environment.CpuUsage.TotalTime.TotalSeconds);
        _resident.Set(ResidentBytes());
        _workingSet.Set(Environment.WorkingSet);
        var gc = GC.GetGCMemoryInfo();
        _memoryLimit.Set(gc.TotalAvailableMemoryBytes);
        for (int g = 0; g <= GC.MaxGeneration; g++)
            _gcCollections.WithLabels(g.ToString(System.Globalization.CultureInfo.InvariantCulture)).IncTo(GC.CollectionCount(g));
        _gcHeap.Set(gc.HeapSizeBytes);
        _allocated.IncTo(GC.GetTotalAllocatedBytes());
        _gcPause.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
        _gcPauseRatio.Set(gc.PauseTimePercentage / 100.0);
        _threadPoolThreads.Set(ThreadPool.ThreadCount);
        _threadPoolQueue.Set(ThreadPool.PendingWorkItemCount);
        _uptime.Set(Stopwatch.GetElapsedTime(_started).TotalSeconds);
    }

    /// <summary>Resident set size: /proc/self/statm on Linux, the working set elsewhere.</summary>
    private static double ResidentBytes()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var fields = File.ReadAllText("/proc/self/statm").Split(' ');
                if (fields.Length > 1 && long.TryParse(fields[1], out long pages)) return (double)pages * Environment.SystemPageSize;
            }
            catch (IOException)
            {
                // fall through
            }
        }
        return Environment.WorkingSet;
    }

    /// <summary>Stops collecting for scrapes (the host disposes it when the node stops).</summary>
    public void Dispose() => _scrape.Dispose();
}
