using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Hft.Journal;

/// <summary>
/// The line a <see cref="DataDirectoryLock"/> holder leaves beside the lock (<c>hft.lock.holder</c>):
/// <c>pid 1234 on host-a (hft serve), since 2026-05-01T10:00:00Z</c>. Only the program and its subcommand are
/// recorded, never further arguments (a token may be among them).
/// </summary>
internal static partial class LockHolder
{
    private const int MaxLength = 200;

    /// <summary>Replaces the holder file in <paramref name="directory"/> by this process's line (temp file, rename).</summary>
    public static void Write(string directory, string fileName, string tempName)
    {
        string temp = Path.Combine(directory, tempName);
        File.WriteAllText(temp, Describe() + "\n");
        File.Move(temp, Path.Combine(directory, fileName), overwrite: true);
    }

    /// <summary>
    /// The recorded holder, or why it is unknown. A pid recorded on this host that no longer runs is not the holder
    /// (it died before the current one, which took the lock and has not recorded itself yet).
    /// </summary>
    public static string Read(string directory, string fileName)
    {
        string? line = ReadLine(Path.Combine(directory, fileName));
        if (line is null) return $"holder unknown (no {fileName})";
        var m = Recorded().Match(line);
        if (m.Success && m.Groups[2].Value == Environment.MachineName
            && int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && !IsRunning(pid))
            return $"holder unknown (the last recorded one, pid {pid}, no longer runs)";
        return line;
    }

    private static string Describe()
    {
        var args = Environment.GetCommandLineArgs();
        string program = args.Length > 0 ? Path.GetFileNameWithoutExtension(args[0]) : "?";
        string command = args.Length > 1 && Subcommand().IsMatch(args[1]) ? " " + args[1] : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"pid {Environment.ProcessId} on {Environment.MachineName} ({program}{command}), since {DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");
    }

    private static string? ReadLine(string path)
    {
        try
        {
            string text = File.ReadAllText(path).Trim();
            int newline = text.IndexOf('\n', StringComparison.Ordinal);
            if (newline >= 0) text = text[..newline].Trim();
            if (text.Length == 0) return null;
            return text.Length > MaxLength ? text[..MaxLength] : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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

    [GeneratedRegex(@"^pid (\d{1,10}) on (\S+) ")]
    private static partial Regex Recorded();
}
