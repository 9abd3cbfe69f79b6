using System.Text.Json;
using Hft.Auth.Audit;
using Hft.Pipeline.Monitoring;
using Hft.Server.Operations;

namespace Hft.Server.Tests.Admin;

/// <summary>The audit writer on its own: directory creation, whole lines under concurrency, append, escaping.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-audit-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void CreatesTheDirectory_AndWritesOneJsonObjectPerLine()
    {
        string path = Path.Combine(_dir, "a", "b", "audit.log");
        using (var log = new AuditLog(path))
        {
            log.Write("ADMIN", "admin.halt", "BTCUSD", "ok", "10.0.0.1");
            log.Write(AuditLog.Anonymous, "auth.unauthorized", "GET /x", "401 unauthorized", null, "quote \" newline \n end");
            // visible to readers at once, before dispose (flushed per line)
            Assert.Equal(2, ReadShared(path).Length);
        }
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(["time", "subject", "action", "target", "result", "remote"], first.RootElement.EnumerateObject().Select(p => p.Name));
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("remote").ValueKind);
        Assert.Equal("quote \" newline \n end", second.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public void Appends_ToAnExistingFile()
    {
        string path = Path.Combine(_dir, "audit.log");
        using (var log = new AuditLog(path)) log.Write("A", "x", "t", "ok", null);
        using (var log = new AuditLog(path)) log.Write("B", "y", "t", "ok", null, durable: true);
        var lines = File.ReadAllLines(path);
        Assert.Equal(["A", "B"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("subject").GetString()));
    }

    [Fact]
    public void ConcurrentWriters_NeverInterleaveLines()
    {
        string path = Path.Combine(_dir, "audit.log");
        const int threads = 8, perThread = 250;
        using (var log = new AuditLog(path))
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (int i = 0; i < perThread; i++) log.Write($"T{t}", "concurrent", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "ok", null, new string('x', t * 50));
            });
            Assert.Equal(threads * perThread, log.Count);
        }
        var lines = File.ReadAllLines(path);
        Assert.Equal(threads * perThread, lines.Length);
        var perSubject = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("subject").GetString()).GroupBy(s => s);
        Assert.All(perSubject, g => Assert.Equal(perThread, g.Count()));
    }

    private static string[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
