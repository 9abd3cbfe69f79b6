using System.Net;
using System.Text.Json;
using Hft.Auth;
using Hft.Server.Tests.MarketData;
using Hft.Server.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Hft.Server.Tests.Api;

/// <summary>
/// Tokens signed with the right key but with claims this venue never issues are refused like forged ones (401), on
/// REST and on <c>/ws</c>: a lifetime (exp - iat) longer than [auth] max_token_lifetime_seconds, an iat in the future
/// or missing, a role that is not exactly one known string, a subject that is not one string.
/// </summary>
public sealed class TokenClaimRulesTests(TokenClaimRulesTests.Server api) : IClassFixture<TokenClaimRulesTests.Server>
{
    /// <summary>The development profile with failed logins never locking out: every case here is a failed /ws login from 127.0.0.1.</summary>
    public sealed class Server() : ApiServerFixture(c => c with { Security = c.Security with { LoginMaxFailures = 1000 } });

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>A token with exactly these claims (plus the server's issuer and audience), signed with the server's key.</summary>
    private string Craft(object claims)
    {
        var payload = JsonSerializer.SerializeToNode(claims)!.AsObject();
        payload["iss"] = api.Config.Auth.Issuer;
        payload["aud"] = api.Config.Auth.Audience;
        return new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), SigningKeys.From(api.Config.Auth).Signing!);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "ten-year lifetime", "lifetime" },
        { "lifetime one hour over the maximum", "lifetime" },
        { "issued in the future", "future" },
        { "no iat", "iat" },
        { "role array with admin", "role" },
        { "role number", "role" },
        { "role unknown", "role" },
        { "no role", "role" },
        { "subject array", "invalid token" }, // refused by the token library before the rules see it
    };

    private object Claims(string name) => name switch
    {
        "ten-year lifetime" => new { sub = "ADMIN", role = "admin", iat = Now, nbf = Now, exp = Now + 10L * 365 * 86_400 },
        "lifetime one hour over the maximum" => new { sub = "ADMIN", role = "admin", iat = Now, exp = Now + 3600 + 3600 },
        "issued in the future" => new { sub = "ADMIN", role = "admin", iat = Now + 600, exp = Now + 900 },
        "no iat" => new { sub = "ADMIN", role = "admin", exp = Now + 600 },
        "role array with admin" => new { sub = "A1", role = new[] { "trader", "admin" }, iat = Now, exp = Now + 600 },
        "role number" => new { sub = "ADMIN", role = 1, iat = Now, exp = Now + 600 },
        "role unknown" => new { sub = "A1", role = "viewer", iat = Now, exp = Now + 600 },
        "no role" => new { sub = "A1", iat = Now, exp = Now + 600 },
        "subject array" => (object)new { sub = new[] { "A1", "ADMIN" }, role = "admin", iat = Now, exp = Now + 600 },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_token_with_claims_the_venue_never_issues_is_401_on_rest_and_refused_on_the_websocket(string name, string messagePart)
    {
        string token = Craft(Claims(name));
        using var client = api.NewClient(token);
        foreach (var path in new[] { "api/v1/admin/accounts", "api/v1/account" })
        {
            var message = (await client.Get(path)).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Contains(messagePart, message, StringComparison.Ordinal);
        }
        // twice: a refused token is never remembered as valid
        (await client.Get("api/v1/account")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");

        await using var ws = await WsClient.ConnectAsync(api.BaseAddress);
        await ws.SendAsync(new { op = "auth", token });
        Assert.Equal("unauthorized", WsClient.Str((await ws.NextAsync()).GetProperty("error"), "code"));
    }

    [Fact]
    public async Task A_crafted_token_within_the_rules_works_so_the_rules_are_what_refuses_the_others()
    {
        using var admin = api.NewClient(Craft(new { sub = "ADMIN", role = "admin", iat = Now - 2, exp = Now + 3600 - 60 }));
        (await admin.Get("api/v1/admin/accounts")).AssertStatus(HttpStatusCode.OK);
        using var trader = api.NewClient(Craft(new { sub = "A1", role = "trader", iat = Now + 2, exp = Now + 600 })); // within the clock skew
        (await trader.Get("api/v1/account")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_issued_in_the_future_cannot_outlive_revoke_sessions()
    {
        // iat beyond the revocation instant would pass "issued before the revocation": such a token is refused anyway
        string future = Craft(new { sub = "A2", role = "trader", iat = Now + 120, exp = Now + 600 });
        using var client = api.NewClient(future);
        (await api.Client("ADMIN", Roles.Admin).Post("api/v1/admin/accounts/A2/revoke-sessions", new { })).AssertStatus(HttpStatusCode.OK);
        (await client.Get("api/v1/account")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
