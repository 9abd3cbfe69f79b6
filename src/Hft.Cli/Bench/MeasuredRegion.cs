using System.Runtime;

namespace Hft.Cli.Bench;

/// <summary>What a measured loop cost beyond its time: bytes this thread allocated, GC collections (gen 0 + 1 + 2
/// counts), page faults of the process (-1 when unknown), and the GC latency mode the runtime actually applied.</summary>
internal readonly record struct MeasuredCost(long AllocatedBytes, int GcCollections, long PageFaults, GCLatencyMode AppliedMode);

/// <summary>
/// The bracket around a measured loop: <see cref="Begin"/> settles the heap with a full blocking, compacting GC and
/// requests <see cref="GCLatencyMode.SustainedLowLatency"/>; <see cref="End"/> restores the mode and returns the
/// <see cref="MeasuredCost"/> of what ran in between. Page faults are read outside the allocation counts (reading them
/// allocates).
/// </summary>
internal readonly struct MeasuredRegion
{
    private readonly long _faults;
    private readonly long _allocated;
    private readonly int _collections;
    private readonly GCLatencyMode _previous;
    private readonly GCLatencyMode _applied;

    private MeasuredRegion(long faults, long allocated, int collections, GCLatencyMode previous, GCLatencyMode applied)
    {
        _faults = faults;
        _allocated = allocated;
        _collections = collections;
        _previous = previous;
        _applied = applied;
    }

    public static MeasuredRegion Begin()
    {
        long faults = PageFaults.Read();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var previous = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        var applied = GCSettings.LatencyMode;
        return new MeasuredRegion(faults, GC.GetAllocatedBytesForCurrentThread(), Collections(), previous, applied);
    }

    public MeasuredCost End()
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread() - _allocated;
        int collections = Collections() - _collections;
        long faults = PageFaults.Read();
        GCSettings.LatencyMode = _previous;
        return new MeasuredCost(allocated, collections, _faults < 0 || faults < 0 ? -1 : faults - _faults, _applied);
    }

    private static int Collections() => GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
}
