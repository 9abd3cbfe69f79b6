using System.Globalization;
using Prometheus;

namespace Hft.Server.Operations;

/// <summary>
/// What the container (its cgroup v2) allows and uses, the measure the memory and CPU alerts divide by:
/// <c>hft_container_memory_limit_bytes</c> (<c>memory.max</c>; the node's physical memory when unlimited),
/// <c>hft_container_memory_working_set_bytes</c> (<c>memory.current</c> minus inactive file pages, as the kubelet
/// counts it for eviction and OOM; the process's resident set without a cgroup) and <c>hft_container_cpu_limit_cores</c>
/// (<c>cpu.max</c> quota / period; the CPUs the process may run on when unlimited). Without the files (not Linux, cgroup
/// v1) a series that cannot be measured is not exported, so a ratio over it yields nothing rather than a false alert.
/// </summary>
public sealed class ContainerMetrics
{
    private readonly string _root;
    private readonly Gauge _memoryLimit, _workingSet, _cpuLimit;

    public ContainerMetrics(CollectorRegistry registry, string cgroupRoot = "/sys/fs/cgroup")
    {
        _root = cgroupRoot;
        var f = Metrics.WithCustomRegistry(registry);
        var lazy = new GaugeConfiguration { SuppressInitialValue = true };
        _memoryLimit = f.CreateGauge("hft_container_memory_limit_bytes",
            "Memory limit of the container (cgroup v2 memory.max; physical memory when unlimited).", lazy);
        _workingSet = f.CreateGauge("hft_container_memory_working_set_bytes",
            "Working set of the container (cgroup memory.current minus inactive file pages, as the kubelet counts it; the process's resident set without a cgroup).", lazy);
        _cpuLimit = f.CreateGauge("hft_container_cpu_limit_cores",
            "CPU limit of the container in cores (cgroup v2 cpu.max quota / period; the CPUs the process may run on when unlimited).", lazy);
    }

    /// <summary>Reads the cgroup files and sets the gauges; <paramref name="residentBytes"/> is the fallback working set.</summary>
    internal void Collect(Func<double> residentBytes)
    {
        var r = CgroupResources.Read(_root);
        if ((r.MemoryLimitBytes ?? PhysicalMemory()) is { } limit) _memoryLimit.Set(limit);
        _workingSet.Set(r.WorkingSetBytes ?? residentBytes());
        _cpuLimit.Set(r.CpuLimitCores ?? Environment.ProcessorCount);
    }

    /// <summary>MemTotal of /proc/meminfo, or null.</summary>
    private static double? PhysicalMemory()
    {
        try
        {
            if (!File.Exists("/proc/meminfo")) return null;
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                    && long.TryParse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture, out long kb))
                    return kb * 1024.0;
        }
        catch (IOException)
        {
            // no figure
        }
        return null;
    }
}

/// <summary>The cgroup v2 figures of the process's cgroup; null where a file is absent or says "max" (no limit).</summary>
public sealed record CgroupResources(double? MemoryLimitBytes, double? WorkingSetBytes, double? CpuLimitCores)
{
    /// <summary>
    /// Reads <c>memory.max</c>, <c>memory.current</c>, <c>memory.stat</c> and <c>cpu.max</c> of the process's cgroup
    /// (the <c>0::/path</c> line of /proc/self/cgroup under <paramref name="root"/>, else <paramref name="root"/> itself:
    /// inside a container's cgroup namespace both are the container's).
    /// </summary>
    public static CgroupResources Read(string root, string? selfCgroup = null)
    {
        var dir = Directory(root, selfCgroup);
        double? limit = ParseMemoryMax(ReadOrNull(dir, "memory.max"));
        double? current = ParseNumber(ReadOrNull(dir, "memory.current"));
        double? workingSet = current is { } c ? Math.Max(0, c - (StatValue(ReadOrNull(dir, "memory.stat"), "inactive_file") ?? 0)) : null;
        return new CgroupResources(limit, workingSet, ParseCpuMax(ReadOrNull(dir, "cpu.max")));
    }

    /// <summary><c>memory.max</c>: bytes, or null for "max" or anything unreadable.</summary>
    public static double? ParseMemoryMax(string? text) => text?.Trim() == "max" ? null : ParseNumber(text);

    /// <summary><c>cpu.max</c> ("QUOTA PERIOD", QUOTA "max" = unlimited): cores, or null.</summary>
    public static double? ParseCpuMax(string? text)
    {
        var parts = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 } || parts[0] == "max") return null;
        return ParseNumber(parts[0]) is { } quota && ParseNumber(parts[1]) is { } period && period > 0 ? quota / period : null;
    }

    /// <summary>The value of <paramref name="key"/> in a flat-keyed file such as <c>memory.stat</c>, or null.</summary>
    public static double? StatValue(string? stat, string key)
    {
        if (stat is null) return null;
        foreach (var line in stat.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[0] == key) return ParseNumber(fields[1]);
        }
        return null;
    }

    private static string Directory(string root, string? selfCgroup)
    {
        try
        {
            selfCgroup ??= File.Exists("/proc/self/cgroup") ? File.ReadAllText("/proc/self/cgroup") : "";
        }
        catch (IOException)
        {
            selfCgroup = "";
        }
        foreach (var line in selfCgroup.Split('\n'))
        {
            if (!line.StartsWith("0::/", StringComparison.Ordinal)) continue;
            var own = Path.Combine(root, line["0::/".Length..].Trim());
            if (File.Exists(Path.Combine(own, "memory.max")) || File.Exists(Path.Combine(own, "cpu.max"))) return own;
        }
        return root;
    }

    private static string? ReadOrNull(string dir, string name)
    {
        try
        {
            var path = Path.Combine(dir, name);
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double? ParseNumber(string? text)
        => double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 ? v : null;
}
