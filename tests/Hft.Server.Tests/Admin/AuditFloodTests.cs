using System.Net;
using System.Net.Http.Headers;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Admin;

/// <summary>
/// A flood of bad-token requests from one address costs the audit log at most [security] audit_lines_per_second lines
/// per second plus one audit.suppressed summary line; nothing is lost from the count.
/// </summary>
public sealed class AuditFloodTests
{
    [Fact]
    public async Task A_thousand_bad_token_requests_write_at_most_the_budget_per_second_and_count_the_rest()
    {
        await using var s = await ServerFixture.StartAsync();
        const int requests = 1000;
        int next = -1;
        async Task Worker()
        {
            while (Interlocked.Increment(ref next) < requests)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/account");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
                using var response = await s.Client.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Worker)));

        int budget = s.Config.Security.AuditLinesPerSecond;
        var lines = s.AuditLines().Where(l => l.GetProperty("remote").GetString() == "127.0.0.1").ToList();
        var refused = lines.Where(l => l.GetProperty("action").GetString() == "auth.unauthorized").ToList();
        Assert.All(refused.GroupBy(l => l.GetProperty("time").GetString()![..19]), second => Assert.InRange(second.Count(), 1, budget));
        var summaries = lines.Where(l => l.GetProperty("action").GetString() == "audit.suppressed").ToList();
        Assert.True(summaries.Count <= refused.Count, "a summary is written only with a line let through");
        // every request is either written or counted as suppressed (the summaries of the last second come when the log closes)
        Assert.Equal(requests, refused.Count + s.Server.Audit.Suppressed);
    }
}
