using System.Text.Json;
using Hft.Auth.Audit;

namespace Hft.Auth.Tests;

/// <summary>A flood of failures from one address costs a bounded number of audit lines and is still visible; admin lines are never dropped.</summary>
public sealed class AuditLogFloodTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-audit-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<JsonElement> Lines(string path) => File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void A_thousand_bad_requests_from_one_address_in_a_second_write_the_budget_plus_one_summary()
    {
        string path;
        using (var audit = new AuditLog(Path.Combine(_dir, "audit.log"), linesPerSecond: 20, _clock))
        {
            path = audit.Path;
            for (int i = 0; i < 1000; i++) audit.Write("anonymous", "auth.unauthorized", "GET /api/v1/account", "401 unauthorized", "203.0.113.9");
            audit.Write("anonymous", "auth.unauthorized", "GET /api/v1/account", "401 unauthorized", "203.0.113.10"); // another address
            audit.Write("ADMIN", "admin.halt", "BTCUSD", "ok", "203.0.113.9", durable: true); // over budget, but an admin action
            Assert.Equal(980, audit.Suppressed);
            _clock.Advance(TimeSpan.FromSeconds(1));
            audit.Write("anonymous", "auth.unauthorized", "GET /api/v1/account", "401 unauthorized", "203.0.113.9");
        }
        var lines = Lines(path);
        Assert.Equal(20 + 1 + 1 + 1 + 1, lines.Count);
        var summary = Assert.Single(lines, l => l.GetProperty("action").GetString() == "audit.suppressed");
        Assert.Equal("980", summary.GetProperty("result").GetString());
        Assert.Equal("203.0.113.9", summary.GetProperty("remote").GetString());
        Assert.Single(lines, l => l.GetProperty("action").GetString() == "admin.halt");
    }

    [Fact]
    public void Suppressed_lines_are_summarized_when_the_log_closes()
    {
        string path;
        using (var audit = new AuditLog(Path.Combine(_dir, "audit.log"), linesPerSecond: 2, _clock))
        {
            path = audit.Path;
            for (int i = 0; i < 5; i++) audit.Write("anonymous", "fix.login_failed", "A1", "refused", "198.51.100.1");
        }
        var lines = Lines(path);
        Assert.Equal(3, lines.Count);
        Assert.Equal("3", lines[^1].GetProperty("result").GetString());
    }
}
