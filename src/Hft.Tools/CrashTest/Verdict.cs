namespace Hft.Tools.CrashTest;

/// <summary>How a crash test ends: every violation printed, then "OK" or how many failed.</summary>
internal static class Verdict
{
    public static string Write(IReadOnlyList<string> violations, TextWriter stdout)
    {
        foreach (var v in violations) stdout.WriteLine($"VIOLATION: {v}");
        return violations.Count == 0 ? "OK" : $"FAILED ({violations.Count} violation(s))";
    }
}
