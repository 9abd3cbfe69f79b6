using Hft.Auth.Audit;

namespace Hft.Auth.Tests;

/// <summary>The newest lines of an audit log, newest first, from one bounded read of the file's end.</summary>
public sealed class AuditTailTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hft-audit-tail-").FullName;

    [Fact]
    public void Newest_lines_first_up_to_the_limit()
    {
        string path = Path.Combine(_dir, "audit.log");
        using (var log = new AuditLog(path))
            for (int i = 0; i < 5; i++) log.Write("ADMIN", "admin.halt", $"S{i}", "ok", null);
        var lines = AuditTail.Read(path, 3);
        Assert.Equal(3, lines.Count);
        Assert.Contains("\"target\":\"S4\"", lines[0]);
        Assert.Contains("\"target\":\"S2\"", lines[2]);
        Assert.Equal(5, AuditTail.Read(path, 100).Count);
    }

    [Fact]
    public void A_large_log_is_read_from_its_end_only_and_a_cut_line_is_left_out()
    {
        string path = Path.Combine(_dir, "big.log");
        string line = new('x', 1000);
        File.WriteAllLines(path, Enumerable.Range(0, 1000).Select(i => $"{i:D4}{line}")); // ~1 MB, over the bound
        var lines = AuditTail.Read(path, 10_000);
        Assert.True(lines.Count < 1000 && lines.Count >= AuditTail.MaxBytes / 1006 - 1, $"{lines.Count} lines");
        Assert.StartsWith("0999", lines[0]);
        Assert.All(lines, l => Assert.Equal(1004, l.Length)); // whole lines only
    }

    [Fact]
    public void A_missing_log_has_no_lines() => Assert.Empty(AuditTail.Read(Path.Combine(_dir, "none.log"), 10));

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
