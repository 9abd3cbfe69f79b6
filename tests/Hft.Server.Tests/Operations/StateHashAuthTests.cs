using System.Net;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Operations;

/// <summary><c>/debug/state-hash</c> pauses every shard: only an operator (an admin token, or the ops token) may ask for it.</summary>
public sealed class StateHashAuthTests
{
    [Fact]
    public async Task State_hash_needs_an_admin_or_ops_token()
    {
        await using var s = await ServerFixture.StartAsync();
        (await s.GetAsync("/debug/state-hash", null)).ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        (await s.GetAsync("/debug/state-hash", "not-a-token")).ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        (await s.GetAsync("/debug/state-hash", s.Token("A1"))).ShouldBeError(HttpStatusCode.Forbidden, "forbidden");
        var hash = (await s.GetAsync("/debug/state-hash", s.AdminToken)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(64, hash.Str("hash")!.Length);
        Assert.Equal(hash.Str("hash"), (await s.GetAsync("/debug/state-hash", "dev-ops-token")).ShouldBe(HttpStatusCode.OK).Str("hash"));
        Assert.Equal(3, s.AuditLines().Count(l => l.GetProperty("target").GetString() == "GET /debug/state-hash"));
    }
}
