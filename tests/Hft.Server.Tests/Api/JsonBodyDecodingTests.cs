using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// Bodies every JSON route must refuse with a 400 in the API's error shape, in words of our own: strings that are not
/// Unicode (an escaped lone UTF-16 surrogate), malformed JSON; and bodies not declared as JSON (415). Admin routes audit
/// the refusal.
/// </summary>
public sealed class JsonBodyDecodingTests
{
    // JSON escapes a client can send but no UTF-16 string holds: a lone high, a lone low, a reversed pair, a high before a non-surrogate
    public static TheoryData<string> BadEscapes => new() { "\\ud800", "\\udc00", "\\udc00\\ud800", "\\ud800\\u0041", "x\\udbff" };

    private static string Order(string clientOrderId)
        => "{\"clientOrderId\":\"" + clientOrderId + "\",\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"49000\",\"qty\":\"0.1\"}";

    [Theory]
    [MemberData(nameof(BadEscapes))]
    public async Task A_lone_surrogate_in_any_string_of_any_json_route_is_400_invalid_request(string escape)
    {
        await using var s = await ServerFixture.StartAsync();
        string a1 = s.Token("A1");
        long resting = await s.PlaceRestingAsync(a1, "BTCUSD", "buy", "48000", "0.1");
        var login = (await s.PostAsync("/api/v1/auth/token", null, new { apiKey = "dev-key-A1" })).ShouldBe(HttpStatusCode.OK);
        long mark = s.Server.Pipeline.RiskBook.Instrument(0)!.Mark;

        (HttpMethod Method, string Path, string? Token, string Body)[] requests =
        [
            (HttpMethod.Post, "/api/v1/orders", a1, Order(escape)),
            (HttpMethod.Post, "/api/v1/orders", a1, "{\"symbol\":\"BTC" + escape + "\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"49000\",\"qty\":\"1\"}"),
            (HttpMethod.Post, "/api/v1/orders", a1, "{\"" + escape + "\":1}"),
            (HttpMethod.Patch, $"/api/v1/orders/{resting}", a1, "{\"qty\":\"" + escape + "\"}"),
            (HttpMethod.Post, "/api/v1/auth/token", null, "{\"apiKey\":\"" + escape + "\"}"),
            (HttpMethod.Post, "/api/v1/auth/refresh", null, "{\"refreshToken\":\"" + escape + "\"}"),
            (HttpMethod.Post, "/api/v1/auth/logout", login.Str("token"), "{\"" + escape + "\":true}"),
            (HttpMethod.Put, "/api/v1/admin/accounts/A2/limits", s.AdminToken, "{\"credit\":\"" + escape + "\"}"),
            (HttpMethod.Put, "/api/v1/admin/accounts/A2/limits", s.AdminToken, "{\"" + escape + "\":null}"),
            (HttpMethod.Post, "/api/v1/admin/instruments/BTCUSD/mark", s.AdminToken, "{\"price\":\"" + escape + "\"}"),
        ];
        foreach (var (method, path, token, body) in requests)
        {
            var reply = await s.SendAsync(method, path, token, body);
            var message = reply.ShouldBeError(HttpStatusCode.BadRequest, "invalid_request");
            Assert.Contains("not valid Unicode", message, StringComparison.Ordinal);
        }

        // nothing happened: the resting order is unchanged, the session still refreshes, limits and mark are as configured
        Assert.Equal(0.1m, decimal.Parse((await s.OrdersAsync(a1))[resting].GetProperty("remainingQty").GetString()!, CultureInfo.InvariantCulture));
        (await s.PostAsync("/api/v1/auth/refresh", null, new { refreshToken = login.Str("refreshToken") })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(mark, s.Server.Pipeline.RiskBook.Instrument(0)!.Mark);

        // the admin refusals are audited like any failed admin action
        var limits = s.AuditOf("admin.limits");
        Assert.Equal(2, limits.Count);
        Assert.All(limits, l => Assert.Equal("400 invalid_request", l.GetProperty("result").GetString()));
        Assert.Equal("400 invalid_request", Assert.Single(s.AuditOf("admin.mark")).GetProperty("result").GetString());
    }

    [Theory]
    [InlineData("{\"symbol\":\"BTCUSD\",")]
    [InlineData("not json at all")]
    [InlineData("{\"symbol\":\"BTCUSD\"} trailing")]
    [InlineData("{\"symbol\":'BTCUSD'}")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}")]
    [InlineData("{\"symbol\":\"BTCUSD\",}")]
    [InlineData("{\"qty\":01}")]
    public async Task Malformed_json_is_described_in_our_words_never_the_parsers(string body)
    {
        await using var s = await ServerFixture.StartAsync();
        foreach (var (path, token) in new[] { ("/api/v1/orders", s.Token("A1")), ("/api/v1/auth/token", null),
                     ("/api/v1/auth/refresh", null), ("/api/v1/admin/accounts/A2/limits", s.AdminToken), ("/api/v1/admin/instruments/BTCUSD/mark", s.AdminToken) })
        {
            var method = path.EndsWith("/limits", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post;
            var message = (await s.SendAsync(method, path, token, body)).ShouldBeError(HttpStatusCode.BadRequest, "invalid_request");
            ErrorText.AssertDecoderWords(message);
        }
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_body_not_declared_as_json_is_415_on_every_json_route_and_audited_on_admin_routes(string contentType)
    {
        await using var s = await ServerFixture.StartAsync();
        string a1 = s.Token("A1");
        long resting = await s.PlaceRestingAsync(a1, "BTCUSD", "buy", "48000", "0.1");
        long mark = s.Server.Pipeline.RiskBook.Instrument(0)!.Mark;
        (HttpMethod Method, string Path, string? Token, string Body)[] requests =
        [
            (HttpMethod.Post, "/api/v1/orders", a1, Order("c-415")),
            (HttpMethod.Patch, $"/api/v1/orders/{resting}", a1, "{\"qty\":\"0.05\"}"),
            (HttpMethod.Post, "/api/v1/auth/token", null, "{\"apiKey\":\"dev-key-A1\"}"),
            (HttpMethod.Post, "/api/v1/auth/refresh", null, "{\"refreshToken\":\"x\"}"),
            (HttpMethod.Put, "/api/v1/admin/accounts/A2/limits", s.AdminToken, "{\"maxOrderQty\":\"5\"}"),
            (HttpMethod.Post, "/api/v1/admin/instruments/BTCUSD/mark", s.AdminToken, "{\"price\":\"50100\"}"),
        ];
        foreach (var (method, path, token, body) in requests)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await s.Client.SendAsync(request);
            var reply = new Reply(response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(), "");
            var message = reply.ShouldBeError(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
            Assert.Contains("application/json", message, StringComparison.Ordinal);
        }

        // nothing was done: no order placed, no change of the resting one, no login granted, limits and mark as before
        var orders = await s.OrdersAsync(a1);
        Assert.Equal([resting], orders.Keys);
        Assert.Empty(s.AuditOf("auth.token"));
        Assert.Equal("415 unsupported_media_type", Assert.Single(s.AuditOf("admin.limits")).GetProperty("result").GetString());
        Assert.Equal("415 unsupported_media_type", Assert.Single(s.AuditOf("admin.mark")).GetProperty("result").GetString());
        Assert.Equal(mark, s.Server.Pipeline.RiskBook.Instrument(0)!.Mark);

        // JSON with a charset, or a +json type, is JSON
        foreach (var json in new[] { "application/json; charset=utf-8", "application/problem+json" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = new StringContent(Order("c-" + json.Length), Encoding.UTF8) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(json);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", a1);
            using var response = await s.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }
}
