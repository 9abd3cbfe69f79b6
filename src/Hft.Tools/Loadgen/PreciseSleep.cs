using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Hft.Tools.Loadgen;

/// <summary>
/// Sleeps until a Stopwatch time with microsecond precision where the OS allows it (Linux: an absolute
/// clock_nanosleep on the monotonic clock, with this thread's timer slack cut to 1 µs), so that a paced load leaves the
/// cores to the server between requests instead of spinning on them - on a machine shared with the server a spinning
/// sender takes the CPU the server needs and inflates the very latency it measures. Elsewhere: Thread.Sleep for long
/// waits, yielding for short ones.
/// </summary>
internal static class PreciseSleep
{
    private const int ClockMonotonic = 1, TimerAbstime = 1, PrSetTimerSlack = 29;
    private static readonly bool s_linux = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_nanosleep(int clock, int flags, ref TimeSpec request, IntPtr remain);

    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    /// <summary>Call once on the sleeping thread: sleeps end within about a microsecond of their deadline.</summary>
    public static void TightenTimerSlack()
    {
        if (s_linux) _ = prctl(PrSetTimerSlack, 1, 0, 0, 0);
    }

    /// <summary>Returns at (or just after) Stopwatch time <paramref name="deadline"/>.</summary>
    public static void Until(long deadline)
    {
        if (s_linux)
        {
            // Stopwatch on Linux is CLOCK_MONOTONIC in nanoseconds (Frequency 10^9), so the deadline is directly a timespec.
            var t = new TimeSpec { Seconds = deadline / 1_000_000_000, Nanoseconds = deadline % 1_000_000_000 };
            _ = clock_nanosleep(ClockMonotonic, TimerAbstime, ref t, IntPtr.Zero);
            return;
        }
        long left = deadline - Stopwatch.GetTimestamp();
        if (left > Stopwatch.Frequency / 500) Thread.Sleep(1);
        else if (left > 0) Thread.Yield();
    }
}
