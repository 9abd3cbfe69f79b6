using System.Text.Json;

namespace Hft.Gateways.Tests.Fix;

/// <summary>One line of the node's audit log.</summary>
internal sealed record AuditLine(string Subject, string Action, string Target, string Result, string? Remote, string? Detail)
{
    /// <summary>The lines written so far (the node appends while this reads).</summary>
    public static IReadOnlyList<AuditLine> Read(string path)
    {
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<AuditLine>();
        while (reader.ReadLine() is { } text)
        {
            if (text.Length == 0 || !text.EndsWith('}')) continue; // a line still being written
            using var doc = JsonDocument.Parse(text);
            var e = doc.RootElement;
            lines.Add(new AuditLine(e.GetProperty("subject").GetString()!, e.GetProperty("action").GetString()!, e.GetProperty("target").GetString()!,
                e.GetProperty("result").GetString()!, e.GetProperty("remote").GetString(),
                e.TryGetProperty("detail", out var d) ? d.GetString() : null));
        }
        return lines;
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> lines match, and returns them.</summary>
    public static async Task<IReadOnlyList<AuditLine>> WaitForAsync(string path, Func<AuditLine, bool> match, int count = 1)
    {
        IReadOnlyList<AuditLine> found = [];
        await Bounded.UntilAsync(() => (found = Read(path).Where(match).ToList()).Count >= count, $"{count} matching audit line(s) in {path}");
        return found;
    }
}
