using System.Net;
using System.Text.Json;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Admin;

/// <summary>
/// The operator's reads on the API listener: <c>GET /api/v1/admin/pipeline</c> (queues, latency, journal,
/// replication in one answer) and <c>GET /api/v1/admin/audit</c> (the newest audit lines, newest first); admin only,
/// and not audited themselves.
/// </summary>
public sealed class AdminViewEndpointsTests
{
    [Fact]
    public async Task Pipeline_shows_queues_latency_journal_and_replication_to_an_admin_only()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        (await s.Client("A1").Place(Rest.Limit("buy", "49000", "0.1"))).AssertStatus(HttpStatusCode.Created);

        (await s.Client("A1").Get("api/v1/admin/pipeline")).AssertError(HttpStatusCode.Forbidden, "forbidden");
        var p = (await s.Client("ADMIN", "admin").Get("api/v1/admin/pipeline")).AssertStatus(HttpStatusCode.OK).Body;
        Assert.True(p.GetProperty("accepting").GetBoolean());
        Assert.True(p.GetProperty("ready").GetBoolean());
        Assert.Equal(s.Pipeline.Shards.Count, p.GetProperty("shards").GetArrayLength());
        Assert.All(p.GetProperty("shards").EnumerateArray(), shard => Assert.True(shard.GetProperty("queueCapacity").GetInt32() > 0));
        var order = p.GetProperty("latency").GetProperty("sinceStart").GetProperty("stages").GetProperty("order");
        Assert.True(order.GetProperty("count").GetInt64() >= 1, "the order placed above was measured");
        var journal = p.GetProperty("journal");
        Assert.Equal("none", journal.GetProperty("mode").GetString()); // the development profile
        Assert.False(journal.GetProperty("failed").GetBoolean());
        Assert.True(journal.GetProperty("lastSequence").GetInt64() >= 1);
        Assert.Equal("single", p.GetProperty("replication").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Audit_tail_lists_the_newest_lines_first_within_the_limit_and_reading_it_adds_none()
    {
        string dir = Directory.CreateTempSubdirectory("hft-audit-tail-").FullName;
        try
        {
            await using var s = await ApiServerFixture.StartAsync(c => c with { Server = c.Server with { AuditLog = Path.Combine(dir, "audit.log") } });
            var admin = s.Client("ADMIN", "admin");
            (await admin.Post("api/v1/admin/instruments/ETHUSD/halt", new { })).AssertStatus(HttpStatusCode.OK);
            (await admin.Post("api/v1/admin/instruments/ETHUSD/resume", new { })).AssertStatus(HttpStatusCode.OK);

            var tail = (await admin.Get("api/v1/admin/audit?limit=2")).AssertStatus(HttpStatusCode.OK).Body;
            Assert.Equal(2, tail.GetArrayLength());
            Assert.Equal(("admin.resume", "ETHUSD", "ADMIN"), Line(tail[0]));
            Assert.Equal(("admin.halt", "ETHUSD", "ADMIN"), Line(tail[1]));
            var again = (await admin.Get("api/v1/admin/audit?limit=2")).AssertStatus(HttpStatusCode.OK).Body;
            Assert.Equal(tail.GetRawText(), again.GetRawText()); // the read left no line of its own

            (await admin.Get("api/v1/admin/audit?limit=0")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
            (await s.Client("A1").Get("api/v1/admin/audit")).AssertError(HttpStatusCode.Forbidden, "forbidden");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (string?, string?, string?) Line(JsonElement e)
        => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString(), e.GetProperty("subject").GetString());
}
