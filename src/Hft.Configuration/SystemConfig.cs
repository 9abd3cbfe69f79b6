namespace Hft.Configuration;

public sealed record SystemConfig
{
    /// <summary>Matching shards (single-writer threads); symbols are spread over them. 1..64.</summary>
    public int MaxWorkers { get; init; } = 2;

    /// <summary>Capacity of each shard's bounded command ring (rounded up to a power of two). 16..16,777,216.</summary>
    public int WorkerQueueSize { get; init; } = 65_536;

    /// <summary>Pin shard threads to CPUs (shard i on CPU i mod cores) where the OS allows it.</summary>
    public bool CpuAffinity { get; init; }

    /// <summary>
    /// How an idle shard thread waits for work: <c>backoff</c> (spin briefly, yield, then park until woken: leaves the
    /// core to the gateways; for small machines) or <c>busy_spin</c> (never parks: lowest latency, one core per shard).
    /// </summary>
    public string IdleStrategy { get; init; } = "backoff";

    /// <summary>
    /// A gateway thread that submits a command processes its shard itself (risk, match, journal write) and sends the
    /// reply, when no other thread is processing that shard: no thread hand-off on the order path. Off: every command
    /// goes through the shard's own thread (with <c>busy_spin</c> and pinned cores, the choice for large machines).
    /// </summary>
    public bool RunToCompletion { get; init; } = true;

    /// <summary>Seconds a graceful shutdown may take to drain queues before the process exits.</summary>
    public int ShutdownTimeoutSeconds { get; init; } = 10;

    internal static SystemConfig Bind(SectionReader r, SystemConfig defaults)
    {
        var c = new SystemConfig
        {
            MaxWorkers = r.Int("max_workers", defaults.MaxWorkers, 1, 64),
            WorkerQueueSize = r.Int("worker_queue_size", defaults.WorkerQueueSize, 16, 16_777_216),
            CpuAffinity = r.Bool("cpu_affinity", defaults.CpuAffinity),
            IdleStrategy = r.String("idle_strategy", defaults.IdleStrategy).Trim().ToLowerInvariant(),
            RunToCompletion = r.Bool("run_to_completion", defaults.RunToCompletion),
            ShutdownTimeoutSeconds = r.Int("shutdown_timeout_seconds", defaults.ShutdownTimeoutSeconds, 1, 3600),
        };
        if (c.IdleStrategy is not ("backoff" or "busy_spin"))
            throw r.Error("idle_strategy", $"must be \"backoff\" or \"busy_spin\", got \"{c.IdleStrategy}\"");
        return c;
    }
}
