using System.Globalization;
using System.Net;
using System.Text.Json;
using Hft.Auth;
using Hft.Configuration;
using Hft.Server.Auth;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Admin;

/// <summary>The audit trail of a real server: admin actions, auth failures, token grants and denials.</summary>
public sealed class AuditTrailTests
{
    private static readonly HttpMethod Post = HttpMethod.Post;

    [Fact]
    public async Task EveryAdminAction_IsAudited_WithTimeSubjectActionTargetResultAndRemote()
    {
        await using var s = await ServerFixture.StartAsync();
        Assert.False(File.Exists(s.AuditPath) && s.AuditLines().Count > 0);
        await s.PlaceRestingAsync(s.Token("A1"), "BTCUSD", "buy", "49000", "0.1"); // trading is not audited
        var started = DateTime.UtcNow.AddSeconds(-1);

        (await s.AdminAsync(Post, "/instruments/BTCUSD/halt")).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(Post, "/instruments/BTCUSD/resume")).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(Post, "/halt")).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(Post, "/resume")).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(Post, "/instruments/ETHUSD/mark", new { price = "3001.5" })).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(Post, "/accounts/A1/cancel-all")).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(Post, "/accounts/A2/disable")).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(Post, "/accounts/A2/enable")).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(HttpMethod.Put, "/accounts/A2/limits", new { maxOrderQty = "10", maxPosition = (string?)null })).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(HttpMethod.Get, "/accounts")).ShouldBe(HttpStatusCode.OK);
        (await s.AdminAsync(Post, "/instruments/XYZ/halt")).ShouldBe(HttpStatusCode.NotFound);

        var lines = s.AuditLines();
        (string Action, string Target, string Result, string? Detail)[] expected =
        [
            ("admin.halt", "BTCUSD", "ok", null),
            ("admin.resume", "BTCUSD", "ok", null),
            ("admin.halt_all", "*", "ok", "BTCUSD,ETHUSD"),
            ("admin.resume_all", "*", "ok", "BTCUSD,ETHUSD"),
            ("admin.mark", "ETHUSD", "ok", "price=3001.5"),
            ("admin.cancel_all", "A1", "ok", "canceled 1 order(s)"),
            ("admin.disable", "A2", "ok", "disabled; canceled 0 order(s)"),
            ("admin.enable", "A2", "ok", null),
            ("admin.limits", "A2", "ok", "maxOrderQty=10, maxPosition=null"),
            ("admin.accounts", "*", "ok", "3 account(s)"),
            ("admin.halt", "XYZ", "404 unknown_symbol", "unknown symbol 'XYZ'"),
        ];
        Assert.Equal(expected.Length, lines.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var line = lines[i];
            Assert.Equal("ADMIN", line.GetProperty("subject").GetString());
            Assert.Equal(expected[i].Action, line.GetProperty("action").GetString());
            Assert.Equal(expected[i].Target, line.GetProperty("target").GetString());
            Assert.Equal(expected[i].Result, line.GetProperty("result").GetString());
            Assert.Equal(expected[i].Detail, line.TryGetProperty("detail", out var d) ? d.GetString() : null);
            Assert.Equal("127.0.0.1", line.GetProperty("remote").GetString());
            AssertUtcTime(line, started);
        }
    }

    [Fact]
    public async Task TraderToken_OnAdminEndpoints_Is403_AndAudited()
    {
        await using var s = await ServerFixture.StartAsync();
        string a1 = s.Token("A1");
        (await s.PostAsync("/api/v1/admin/halt", a1)).ShouldBeError(HttpStatusCode.Forbidden, "forbidden");
        (await s.PutAsync("/api/v1/admin/accounts/A1/limits", a1, new { maxOrderQty = "1000000" })).ShouldBeError(HttpStatusCode.Forbidden, "forbidden");
        (await s.GetAsync("/api/v1/admin/accounts", a1)).ShouldBeError(HttpStatusCode.Forbidden, "forbidden");
        Assert.False(s.Server.Pipeline.RiskBook.Instrument(0)!.Halted);

        var lines = s.AuditLines();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l =>
        {
            Assert.Equal("A1", l.GetProperty("subject").GetString());
            Assert.Equal("auth.forbidden", l.GetProperty("action").GetString());
            Assert.Equal("403 forbidden", l.GetProperty("result").GetString());
            Assert.Equal("127.0.0.1", l.GetProperty("remote").GetString());
        });
        Assert.Equal(["POST /api/v1/admin/halt", "PUT /api/v1/admin/accounts/A1/limits", "GET /api/v1/admin/accounts"],
            lines.Select(l => l.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task MissingOrInvalidToken_Is401_AndAuditedAsAnonymous()
    {
        await using var s = await ServerFixture.StartAsync();
        var otherKeys = new TokenService(s.Config.Auth with { Secret = new string('x', 48) }, SigningKeys.From(s.Config.Auth with { Secret = new string('x', 48) }));

        (await s.PostAsync("/api/v1/admin/halt", null)).ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        (await s.PostAsync("/api/v1/admin/halt", "not-a-jwt")).ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        (await s.PostAsync("/api/v1/admin/halt", otherKeys.Mint("ADMIN", Roles.Admin))).ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        var expired = s.Tokens.Mint("ADMIN", Roles.Admin, TimeSpan.FromMinutes(1), DateTime.UtcNow.AddHours(-1));
        (await s.PostAsync("/api/v1/admin/halt", expired)).ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        (await s.GetAsync("/api/v1/orders", null)).ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.False(s.Server.Pipeline.RiskBook.Instrument(0)!.Halted);

        var lines = s.AuditLines();
        Assert.Equal(5, lines.Count);
        Assert.All(lines, l =>
        {
            Assert.Equal("anonymous", l.GetProperty("subject").GetString());
            Assert.Equal("auth.unauthorized", l.GetProperty("action").GetString());
            Assert.Equal("401 unauthorized", l.GetProperty("result").GetString());
        });
        Assert.Equal(["missing bearer token", "invalid token", "invalid token signature", "token expired", "missing bearer token"],
            lines.Select(l => l.GetProperty("detail").GetString()));
        Assert.Equal("GET /api/v1/orders", lines[4].GetProperty("target").GetString());
    }

    [Fact]
    public async Task TokenGrantsAndDenials_AreAudited()
    {
        await using var s = await ServerFixture.StartAsync();
        var granted = (await s.PostAsync("/api/v1/auth/token", null, new { apiKey = "dev-key-ADMIN" })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("admin", granted.Str("role"));
        (await s.PostAsync("/api/v1/auth/token", null, new { apiKey = "dev-key-nope" })).ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");

        // the granted token works on the admin API
        (await s.SendAsync(HttpMethod.Post, "/api/v1/admin/instruments/ETHUSD/halt", granted.Str("token"))).ShouldBe(HttpStatusCode.OK);

        var lines = s.AuditLines();
        Assert.Equal(3, lines.Count);
        Assert.Equal("auth.token", lines[0].GetProperty("action").GetString());
        Assert.Equal("granted admin token for ADMIN", lines[0].GetProperty("result").GetString());
        Assert.Equal("rest.login_failed", lines[1].GetProperty("action").GetString()); // by the failed-login throttle
        Assert.Equal("refused", lines[1].GetProperty("result").GetString());
        Assert.Equal("unknown API key", lines[1].GetProperty("detail").GetString());
        Assert.Equal("anonymous", lines[1].GetProperty("subject").GetString());
        Assert.Equal("admin.halt", lines[2].GetProperty("action").GetString());
        Assert.DoesNotContain("dev-key", File.ReadAllText(s.AuditPath)); // never the secret itself
    }

    [Fact]
    public async Task OtherForbiddenResponses_AreAuditedToo()
    {
        await using var s = await ServerFixture.StartAsync();
        // a valid token for an account the venue does not know, and a disabled account's order
        (await s.GetAsync("/api/v1/orders", s.Token("GHOST"))).ShouldBeError(HttpStatusCode.Forbidden, "account_disabled");
        (await s.AdminAsync(Post, "/accounts/A1/disable")).ShouldBe(HttpStatusCode.OK);
        (await s.PlaceLimitAsync(s.Token("A1"), "BTCUSD", "buy", "49000", "0.1")).ShouldBeError(HttpStatusCode.Forbidden, "account_disabled");

        var denied = s.AuditOf("auth.denied");
        Assert.Equal(2, denied.Count);
        Assert.Equal("GHOST", denied[0].GetProperty("subject").GetString());
        Assert.Equal("GET /api/v1/orders", denied[0].GetProperty("target").GetString());
        Assert.Equal("403", denied[0].GetProperty("result").GetString());
        Assert.Equal("A1", denied[1].GetProperty("subject").GetString());
        Assert.Equal("POST /api/v1/orders", denied[1].GetProperty("target").GetString());
    }

    [Fact]
    public async Task RelativeAuditPath_IsRelativeToTheCurrentDirectory_AndAppendsAcrossRestarts()
    {
        // the relative path is resolved at start (the current directory is process-wide: resolve it, do not change it)
        string relative = Path.Combine("hft-audit-test-" + Guid.NewGuid().ToString("N"), "nested", "audit.log");
        string expectedPath = Path.GetFullPath(relative);
        try
        {
            for (int run = 1; run <= 2; run++)
            {
                await using var s = await ServerFixture.StartAsync(c => c with { Server = c.Server with { AuditLog = relative } });
                Assert.Equal(expectedPath, s.AuditPath);
                (await s.AdminAsync(Post, "/halt")).ShouldBe(HttpStatusCode.OK);
                Assert.Equal(run, s.AuditLines().Count);
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(expectedPath))!, recursive: true);
        }
    }

    private static void AssertUtcTime(JsonElement line, DateTime notBefore)
    {
        string text = line.GetProperty("time").GetString()!;
        Assert.EndsWith("Z", text);
        var time = DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.InRange(time, notBefore, DateTime.UtcNow.AddSeconds(1));
    }
}
