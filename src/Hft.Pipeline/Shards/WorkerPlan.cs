using System.Globalization;

namespace Hft.Pipeline.Shards;

/// <summary>
/// What <c>[system] max_workers</c> ("CPU cores to utilize") becomes: <see cref="Shards"/> matching shards (one
/// single-writer thread per shard, at most one shard per instrument) and the rest of the cores for the threads around
/// them - gateway reads (thread pool), journal, publisher. The node raises the thread pool's minimum to
/// <see cref="ThreadPoolMinimum"/> so that gateway and send work gets that many threads without the pool's slow
/// injection, and logs <see cref="Warning"/> once when the figure cannot be used as written.
/// </summary>
public readonly record struct WorkerPlan(int MaxWorkers, int Instruments, int AvailableCpus)
{
    /// <summary>Matching shards: min(max_workers, instruments), at least one.</summary>
    public int Shards => ShardSet.ShardCount(MaxWorkers, Instruments);

    /// <summary>Cores of max_workers left to gateway, journal and publisher threads.</summary>
    public int OtherCores => Math.Max(0, MaxWorkers - Shards);

    /// <summary>Thread pool minimum (worker and I/O threads) the node sets: max_workers, never below what the pool has.</summary>
    public int ThreadPoolMinimum => MaxWorkers;

    /// <summary>One log line when max_workers exceeds what the instruments or the CPUs can use; null when it fits.</summary>
    public string? Warning
    {
        get
        {
            var parts = new List<string>(2);
            if (MaxWorkers > Shards)
                parts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"max_workers = {MaxWorkers} but {Instruments} instrument(s): {Shards} matching shard(s) (one per instrument at most); the other {OtherCores} core(s) serve gateway, journal and publisher threads (thread pool minimum {ThreadPoolMinimum})"));
            if (MaxWorkers > AvailableCpus)
                parts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"max_workers = {MaxWorkers} exceeds the {AvailableCpus} CPU(s) this process may use (cpuset / CPU limit): threads will share cores"));
            return parts.Count == 0 ? null : "system: " + string.Join("; ", parts);
        }
    }
}
