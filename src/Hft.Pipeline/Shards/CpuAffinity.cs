using System.Runtime.InteropServices;

namespace Hft.Pipeline.Shards;

/// <summary>Pins the calling thread to one CPU (Linux sched_setaffinity); a no-op returning false elsewhere.</summary>
internal static partial class CpuAffinity
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nint cpusetsize, ref ulong mask);

    public static bool TryPinCurrentThread(int cpu)
    {
        if (!OperatingSystem.IsLinux() || cpu < 0 || cpu >= 64) return false;
        ulong mask = 1UL << cpu;
        try
        {
            return sched_setaffinity(0, sizeof(ulong), ref mask) == 0; // pid 0 = the calling thread
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }
}
