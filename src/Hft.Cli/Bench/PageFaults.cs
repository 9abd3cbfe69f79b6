namespace Hft.Cli.Bench;

/// <summary>
/// Minor and major page faults of this process so far (Linux /proc/self/stat fields 10 and 12); -1 elsewhere.
/// A first write to a fresh page of a large array faults into the kernel (microseconds), which shows up in the
/// latency tail, so the bench reports faults taken during the measured loops.
/// </summary>
internal static class PageFaults
{
    public static long Read()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            // Fields after the command name "(...)", which may contain spaces: state is field 3.
            int close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            // fields[0] = state (3), fields[7] = minflt (10), fields[9] = majflt (12)
            return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture)
                + long.Parse(fields[9], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
