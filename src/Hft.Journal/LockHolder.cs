using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Hft.Journal;

/// <summary>
/// The line a <see cref="DataDirectoryLock"/> holder leaves beside the lock: <c>pid 1234 (hft serve), since
/// 2026-05-01T10:00:00Z</c>. Only the program and its subcommand are recorded, never further arguments (a token may
/// be among them).
/// </summary>
internal static partial class LockHolder
{
    private const int MaxLength = 200;

    /// <summary>This process, as the holder line describes it.</summary>
    public static string Describe()
    {
        var args = Environment.GetCommandLineArgs();
        string program = args.Length > 0 ? Path.GetFileNameWithoutExtension(args[0]) : "?";
        string command = args.Length > 1 && Subcommand().IsMatch(args[1]) ? " " + args[1] : "";
        return string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} ({program}{command}), since {DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");
    }

    /// <summary>Replaces the holder file in <paramref name="directory"/> by this process's line (temp file, rename).</summary>
    public static void Write(string directory, string fileName, string tempName)
    {
        string temp = Path.Combine(directory, tempName);
        File.WriteAllText(temp, Describe() + "\n");
        File.Move(temp, Path.Combine(directory, fileName), overwrite: true);
    }

    /// <summary>The holder's line, or why there is none; a recorded pid that no longer runs is not the holder.</summary>
    public static string Read(string directory)
    {
        string? line = ReadLine(directory);
        if (line is null) return "holder unknown (no hft.lock.holder)";
        if (Pid(line) is { } pid && !IsRunning(pid)) return $"holder unknown (the last recorded one, pid {pid}, no longer runs)";
        return line;
    }

    /// <summary>The pid of the holder when it is recorded and runs.</summary>
    public static int? ReadPid(string directory) => ReadLine(directory) is { } line && Pid(line) is { } pid && IsRunning(pid) ? pid : null;

    private static string? ReadLine(string directory)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(directory, DataDirectoryLock.HolderFileName)).Trim();
            if (text.Length == 0) return null;
            int newline = text.IndexOf('\n', StringComparison.Ordinal);
            if (newline >= 0) text = text[..newline].Trim();
            return text.Length > MaxLength ? text[..MaxLength] : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int? Pid(string line)
    {
        var m = PidPrefix().Match(line);
        return m.Success && int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z][a-z-]{0,19}$")]
    private static partial Regex Subcommand();

    [GeneratedRegex(@"^pid (\d{1,10})\b")]
    private static partial Regex PidPrefix();
}
