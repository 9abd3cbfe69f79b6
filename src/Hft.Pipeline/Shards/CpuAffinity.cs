using System.Globalization;
using System.Runtime.InteropServices;

namespace Hft.Pipeline.Shards;

/// <summary>
/// CPU pinning of shard threads (<c>[system] cpu_affinity</c>): which CPUs this process may run on (its affinity mask,
/// which a container runtime sets from the pod's cpuset; else the cgroup's <c>cpuset.cpus.effective</c>), which of
/// them a shard takes (<see cref="Choose"/>, a pure function), and the Linux <c>sched_setaffinity</c> call.
/// </summary>
public static partial class CpuAffinity
{
    /// <summary>Bits of the affinity masks passed to the kernel: CPUs 0..1023.</summary>
    private const int MaskWords = 16;

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int sched_setaffinity(int pid, nint cpusetsize, ulong* mask);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int sched_getaffinity(int pid, nint cpusetsize, ulong* mask);

    /// <summary>
    /// The CPU shard <paramref name="shard"/> is pinned to: the shard-th CPU of <paramref name="allowed"/> (in
    /// ascending order), wrapping around when there are more shards than allowed CPUs; -1 when nothing is allowed.
    /// </summary>
    public static int Choose(int shard, IReadOnlyList<int> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        return allowed.Count == 0 ? -1 : allowed[shard % allowed.Count];
    }

    /// <summary>
    /// The CPUs this process may run on, ascending: its affinity mask (sched_getaffinity), else the cgroup v2
    /// <c>cpuset.cpus.effective</c> under <paramref name="cgroupRoot"/>, else 0 .. ProcessorCount - 1.
    /// </summary>
    public static IReadOnlyList<int> AllowedCpus(string cgroupRoot = "/sys/fs/cgroup")
    {
        if (OperatingSystem.IsLinux())
        {
            var mask = ProcessMask();
            if (mask is { Count: > 0 }) return mask;
            try
            {
                var file = Path.Combine(cgroupRoot, "cpuset.cpus.effective");
                if (File.Exists(file) && TryParseList(File.ReadAllText(file), out var cpus) && cpus.Count > 0) return cpus;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // fall through
            }
        }
        return Enumerable.Range(0, Environment.ProcessorCount).ToArray();
    }

    /// <summary>Parses a kernel CPU list ("0-3,8,10-11"), ascending and without duplicates; false on anything else.</summary>
    public static bool TryParseList(string text, out IReadOnlyList<int> cpus)
    {
        var set = new SortedSet<int>();
        cpus = [];
        foreach (var part in (text ?? "").Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int cpu)) return false;
                set.Add(cpu);
                continue;
            }
            if (!int.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                || last < first || last - first > 65_536)
                return false;
            for (int c = first; c <= last; c++) set.Add(c);
        }
        cpus = set.ToArray();
        return true;
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false (with the reason) where the OS refuses or cannot.</summary>
    public static unsafe bool TryPinCurrentThread(int cpu, out string? error)
    {
        error = null;
        if (!OperatingSystem.IsLinux()) { error = "CPU pinning needs Linux"; return false; }
        if (cpu < 0 || cpu >= MaskWords * 64) { error = $"CPU {cpu} is outside 0..{MaskWords * 64 - 1}"; return false; }
        ulong* mask = stackalloc ulong[MaskWords];
        new Span<ulong>(mask, MaskWords).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        try
        {
            if (sched_setaffinity(0, MaskWords * sizeof(ulong), mask) == 0) return true; // pid 0 = the calling thread
            error = $"sched_setaffinity(CPU {cpu}) failed: errno {Marshal.GetLastPInvokeError()}";
            return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            error = "sched_setaffinity unavailable: " + e.Message;
            return false;
        }
    }

    private static unsafe IReadOnlyList<int>? ProcessMask()
    {
        ulong* mask = stackalloc ulong[MaskWords];
        try
        {
            if (sched_getaffinity(0, MaskWords * sizeof(ulong), mask) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        var cpus = new List<int>();
        for (int w = 0; w < MaskWords; w++)
            for (int b = 0; b < 64; b++)
                if ((mask[w] & (1UL << b)) != 0) cpus.Add(w * 64 + b);
        return cpus;
    }
}

/// <summary>
/// What became of <c>[system] cpu_affinity</c>: shard threads pinned and pinning failures (exported as
/// <c>hft_cpu_pinned_threads</c> and <c>hft_cpu_pinning_failures_total</c>); each failure is also reported once to
/// <see cref="Failed"/> (the node logs it).
/// </summary>
public sealed class CpuPinning
{
    private int _pinned;
    private long _failures;

    /// <summary>Called on the shard's thread with the shard, the CPU and the reason, when pinning fails.</summary>
    public Action<int, int, string>? Failed { get; set; }

    public int PinnedThreads => Volatile.Read(ref _pinned);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Pins the calling (shard) thread to <paramref name="cpu"/> and records the outcome.</summary>
    internal void PinCurrentThread(int shard, int cpu)
    {
        if (CpuAffinity.TryPinCurrentThread(cpu, out var error))
        {
            Interlocked.Increment(ref _pinned);
            return;
        }
        Interlocked.Increment(ref _failures);
        Failed?.Invoke(shard, cpu, error ?? "unknown error");
    }
}
