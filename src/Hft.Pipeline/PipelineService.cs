using Hft.Configuration;
using Hft.Core.Numerics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hft.Pipeline;

/// <summary>
/// Starts the shard threads and drains them on stop (after every gateway has stopped taking orders). With a journal it
/// also snapshots: every <c>[journal] snapshot_interval_seconds</c> (0 = never periodically) on a background timer, and
/// once more after a clean drain on shutdown. Every <see cref="ExpiryPeriod"/> it issues the expiry command of
/// good-till-date orders that are due (<see cref="TradingPipeline.ExpireDue"/>), stamped with the wall clock here, outside
/// the engine: the command carries the time, so replay expires exactly the same orders.
/// </summary>
public sealed class PipelineService(TradingPipeline pipeline, HftConfig config, ILogger log) : IHostedService
{
    private Timer? _timer;
    private Timer? _expiry;

    /// <summary>How often due good-till-date orders are looked for: the most an order outlives its expire time by.</summary>
    public static readonly TimeSpan ExpiryPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>The wall clock in Unix nanoseconds, the unit of expire times.</summary>
    public static long UnixNanosNow() => UnixTime.ToNanos(DateTimeOffset.UtcNow);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        pipeline.Start();
        log.LogInformation("pipeline: {Shards} matching shard(s), queue {Queue} each, {Instruments} instrument(s), throttle {Rate}/s",
            pipeline.Shards.Count, pipeline.Shards[0].QueueCapacity, pipeline.Instruments.Count, config.Trading.MaxOrdersPerSecond);
        int interval = config.Journal.SnapshotIntervalSeconds;
        if (interval > 0 && pipeline.Journal.Mode != Hft.Journal.JournalMode.None)
        {
            var period = TimeSpan.FromSeconds(interval);
            _timer = new Timer(_ => Snapshot("periodic"), null, period, period);
        }
        _expiry = new Timer(_ => pipeline.ExpireDue(UnixNanosNow()), null, ExpiryPeriod, ExpiryPeriod);
        return Task.CompletedTask;
    }

    private void Snapshot(string why)
    {
        try
        {
            var r = pipeline.Snapshots.Take(TimeSpan.FromSeconds(30));
            log.LogInformation("snapshot ({Why}): seq {Sequence}, {Orders} resting order(s), {Bytes} bytes in {Ms:N1} ms (shards paused {Paused:N1} ms); pruned {Snapshots} snapshot(s), {Segments} segment(s)",
                why, r.Sequence, r.Orders, r.Bytes, r.Elapsed.TotalMilliseconds, r.Paused.TotalMilliseconds, r.Pruned.Snapshots.Count, r.Pruned.Segments.Count);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or UnauthorizedAccessException)
        {
            log.LogError("snapshot ({Why}) failed: {Error}", why, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _expiry?.Dispose();
        bool drained = pipeline.Stop(TimeSpan.FromSeconds(config.System.ShutdownTimeoutSeconds));
        if (drained) log.LogInformation("pipeline: drained and stopped");
        else log.LogWarning("pipeline: shutdown timeout reached before every queue drained");
        if (drained && pipeline.Journal.Mode != Hft.Journal.JournalMode.None && pipeline.Journal.Failure is null) Snapshot("shutdown");
        return Task.CompletedTask;
    }
}
