using System.Text;

namespace Hft.Auth.Audit;

/// <summary>
/// The newest lines of an audit log file, newest first: read backwards from the end, at most
/// <see cref="MaxBytes"/> bytes, so a large log costs one bounded read. A line cut by that bound is left out.
/// </summary>
public static class AuditTail
{
    public const int MaxBytes = 256 * 1024;

    public static List<string> Read(string path, int lines)
    {
        var result = new List<string>(lines);
        if (lines <= 0 || !File.Exists(path)) return result;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long start = Math.Max(0, file.Length - MaxBytes);
        file.Position = start;
        var buffer = new byte[file.Length - start];
        file.ReadExactly(buffer);
        var text = Encoding.UTF8.GetString(buffer);
        var all = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int first = start > 0 ? 1 : 0; // the first piece may be the end of a longer line
        for (int i = all.Length - 1; i >= first && result.Count < lines; i--) result.Add(all[i]);
        return result;
    }
}
