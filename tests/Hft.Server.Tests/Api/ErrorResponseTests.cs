using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hft.Auth;
using Hft.Configuration;
using Hft.Server.Auth;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>Every error status of the API, each in the one error shape <c>{"error":{"code","message"}}</c>.</summary>
public sealed class ErrorResponseTests(ApiServerFixture api) : IClassFixture<ApiServerFixture>
{
    private HttpClient A1 => api.Client("A1");

    private Task<ApiResult> PlaceRaw(string json) => A1.PostRaw("api/v1/orders", json);

    // ---- 400 ---------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("{\"symbol\":\"BTCUSD\",", "invalid_request", "malformed JSON")]
    [InlineData("not json at all", "invalid_request", "malformed JSON")]
    [InlineData("", "invalid_request", "malformed JSON")]
    [InlineData("[1,2]", "invalid_request", "JSON object")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000\",\"qty\":\"1\",\"leverage\":5}", "invalid_request", "unknown field 'leverage'")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000\",\"qty\":\"1\",\"qty\":\"2\"}", "invalid_request", "given twice")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":true,\"qty\":\"1\"}", "invalid_request", "price must be a decimal")]
    [InlineData("{\"symbol\":42,\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000\",\"qty\":\"1\"}", "invalid_request", "symbol must be a string")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000\",\"qty\":\"1\",\"postOnly\":\"yes\"}", "invalid_request", "postOnly must be true or false")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"up\",\"type\":\"limit\",\"price\":\"50000\",\"qty\":\"1\"}", "invalid_request", "side must be one of buy, sell")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"trailing_stop\",\"price\":\"50000\",\"qty\":\"1\"}", "invalid_request", "type must be one of")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"tif\":\"day\",\"price\":\"50000\",\"qty\":\"1\"}", "invalid_request", "tif must be one of")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"qty\":\"1\"}", "invalid_request", "missing field 'price'")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"market\",\"price\":\"50000\",\"qty\":\"1\"}", "invalid_request", "market order takes no price")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000.001\",\"qty\":\"1\"}", "invalid_price", "tick 0.01")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"-5\",\"qty\":\"1\"}", "invalid_price", "price '-5'")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"abc\",\"qty\":\"1\"}", "invalid_price", "price 'abc'")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000\",\"qty\":\"0\"}", "invalid_qty", "qty '0'")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000\",\"qty\":\"0.00001\"}", "invalid_qty", "lot 0.0001")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000\",\"qty\":\"-1\"}", "invalid_qty", "qty '-1'")]
    [InlineData("{\"symbol\":\"DOGEUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}", "unknown_symbol", "DOGEUSD")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"tif\":\"ioc\",\"price\":\"50000\",\"qty\":\"1\",\"postOnly\":true}", "invalid_order_type", "postOnly")]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"market\",\"qty\":\"1\",\"postOnly\":true}", "invalid_order_type", "postOnly")]
    [InlineData("{\"clientOrderId\":\"\",\"symbol\":\"BTCUSD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000\",\"qty\":\"1\"}", "invalid_request", "clientOrderId")]
    public async Task Bad_order_request_is_400_naming_the_problem(string body, string code, string messagePart)
    {
        var message = (await PlaceRaw(body)).AssertError(HttpStatusCode.BadRequest, code);
        Assert.Contains(messagePart, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_replace_and_list_requests_are_400()
    {
        var order = (await A1.Place(Rest.Limit("buy", "45500", "1"))).AssertStatus(HttpStatusCode.Created);
        (await A1.Patch($"api/v1/orders/{order.Id}", new { qty = "1", side = "sell" })).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await A1.Patch($"api/v1/orders/{order.Id}", new { price = "45500" })).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await A1.Patch($"api/v1/orders/{order.Id}", new { qty = "1", price = "45500.005" })).AssertError(HttpStatusCode.BadRequest, "invalid_price");
        (await A1.Patch($"api/v1/orders/{order.Id}", new { qty = "0" })).AssertError(HttpStatusCode.BadRequest, "invalid_qty");
        (await A1.Get("api/v1/orders?status=closed")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await api.Anonymous.Get("api/v1/book/BTCUSD?depth=0")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await api.Anonymous.Get("api/v1/book/BTCUSD?level=1")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await A1.Delete($"api/v1/orders/{order.Id}")).AssertStatus(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("api/v1/orders?limit=abc")]
    [InlineData("api/v1/orders?limit=1.5")]
    [InlineData("api/v1/trades?limit=lots")]
    [InlineData("api/v1/book/BTCUSD?depth=x")]
    [InlineData("api/v1/trades/BTCUSD?limit=")]
    public async Task Query_parameter_of_the_wrong_format_is_400_in_the_error_shape(string path)
    {
        var result = await A1.Get(path);
        if (path.EndsWith("limit=", StringComparison.Ordinal) && result.Status == HttpStatusCode.OK) return; // empty = absent
        result.AssertError(HttpStatusCode.BadRequest, "invalid_request");
    }

    // ---- 401 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Missing_token_is_401()
    {
        var message = (await api.Anonymous.Place(Rest.Limit("buy", "50000", "1"))).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("missing bearer token", message);
        (await api.Anonymous.Get("api/v1/orders")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        (await api.Anonymous.Get("api/v1/account")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        (await api.Anonymous.Get("api/v1/positions")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        (await api.Anonymous.Get("api/v1/trades")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        (await api.Anonymous.Delete("api/v1/orders/1")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        (await api.Anonymous.Patch("api/v1/orders/1", new { qty = "1" })).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Expired_token_is_401()
    {
        var expired = api.Token("A1", lifetime: TimeSpan.FromMinutes(1), now: DateTime.UtcNow.AddHours(-1));
        using var client = api.NewClient(expired);
        var message = (await client.Get("api/v1/orders")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("token expired", message);
    }

    [Fact]
    public async Task Token_with_wrong_signature_is_401()
    {
        var otherKey = api.Config.Auth with { Secret = "some-other-secret-of-at-least-thirty-two-bytes-xyz" };
        var forged = new TokenService(otherKey, SigningKeys.From(otherKey)).Mint("A1", Roles.Trader);
        using var client = api.NewClient(forged);
        var message = (await client.Place(Rest.Limit("buy", "50000", "1"))).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("invalid token signature", message);

        // A valid token with one signature byte changed.
        var token = api.Token("A1");
        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        using var client2 = api.NewClient(tampered);
        (await client2.Get("api/v1/orders")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Token_for_another_audience_or_issuer_is_401()
    {
        var auth = api.Config.Auth with { Audience = "someone-else" };
        using var client = api.NewClient(new TokenService(auth, SigningKeys.From(auth)).Mint("A1", Roles.Trader));
        Assert.Equal("token not issued for this API", (await client.Get("api/v1/orders")).AssertError(HttpStatusCode.Unauthorized, "unauthorized"));
        var issuer = api.Config.Auth with { Issuer = "mallory" };
        using var client2 = api.NewClient(new TokenService(issuer, SigningKeys.From(issuer)).Mint("A1", Roles.Trader));
        Assert.Equal("token from an unknown issuer", (await client2.Get("api/v1/orders")).AssertError(HttpStatusCode.Unauthorized, "unauthorized"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJBMSJ9.")]
    public async Task Garbage_token_is_401(string bearer)
    {
        using var client = api.NewClient(bearer);
        (await client.Get("api/v1/orders")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Wrong_scheme_is_401()
    {
        using var client = api.NewClient(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("A1:x")));
        (await client.Get("api/v1/orders")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    // ---- 403 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Token_for_an_account_unknown_to_the_venue_is_403()
    {
        using var client = api.NewClient(api.Token("ZZ9"));
        (await client.Place(Rest.Limit("buy", "50000", "1"))).AssertError(HttpStatusCode.Forbidden, "account_disabled");
        (await client.Get("api/v1/orders")).AssertError(HttpStatusCode.Forbidden, "account_disabled");
        (await client.Get("api/v1/account")).AssertError(HttpStatusCode.Forbidden, "account_disabled");
    }

    [Fact]
    public async Task Token_with_an_unknown_role_is_401_naming_the_role_claim()
    {
        // this venue never issues such a token (TokenClaimRules): refused like a forged one, not merely forbidden
        using var client = api.NewClient(api.Token("A1", role: "viewer"));
        Assert.Contains("role", (await client.Get("api/v1/orders")).AssertError(HttpStatusCode.Unauthorized, "unauthorized"), StringComparison.Ordinal);
    }

    // ---- 404 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Another_accounts_order_is_404_and_untouched()
    {
        var a2Order = (await api.Client("A2").Place(Rest.Limit("sell", "54000", "1"))).AssertStatus(HttpStatusCode.Created);
        (await A1.Delete($"api/v1/orders/{a2Order.Id}")).AssertError(HttpStatusCode.NotFound, "unknown_order");
        (await A1.Patch($"api/v1/orders/{a2Order.Id}", new { qty = "0.5" })).AssertError(HttpStatusCode.NotFound, "unknown_order");
        Assert.DoesNotContain((await A1.Get("api/v1/orders?status=all")).Body.EnumerateArray(), o => o.GetProperty("id").GetInt64() == a2Order.Id);
        var still = (await api.Client("A2").Get("api/v1/orders")).Body.EnumerateArray().Single(o => o.GetProperty("id").GetInt64() == a2Order.Id);
        Assert.Equal("new", still.GetProperty("status").GetString());
        Assert.Equal("1", still.GetProperty("remainingQty").GetString()!.TrimEnd('0').TrimEnd('.'));
        (await api.Client("A2").Delete($"api/v1/orders/{a2Order.Id}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unknown_ids_routes_and_symbols_are_404()
    {
        (await A1.Delete("api/v1/orders/999999999")).AssertError(HttpStatusCode.NotFound, "unknown_order");
        (await A1.Patch("api/v1/orders/999999999", new { qty = "1" })).AssertError(HttpStatusCode.NotFound, "unknown_order");
        (await A1.Get("api/v1/nothing-here")).AssertError(HttpStatusCode.NotFound, "not_found");
        (await api.Anonymous.Get("api/v2/orders")).AssertError(HttpStatusCode.NotFound, "not_found");
        (await api.Anonymous.Get("api/v1/book/DOGEUSD")).AssertError(HttpStatusCode.NotFound, "unknown_symbol");
        (await api.Anonymous.Get("api/v1/trades/DOGEUSD")).AssertError(HttpStatusCode.NotFound, "unknown_symbol");
    }

    // ---- 409 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Duplicate_client_order_id_is_409_per_account()
    {
        var cid = "dup-" + Guid.NewGuid().ToString("N")[..8];
        var first = (await A1.Place(Rest.Limit("buy", "45100", "1", clientOrderId: cid))).AssertStatus(HttpStatusCode.Created);
        var message = (await A1.Place(Rest.Limit("buy", "45200", "2", clientOrderId: cid))).AssertError(HttpStatusCode.Conflict, "duplicate_client_order_id");
        Assert.Contains(cid, message, StringComparison.Ordinal);
        // Still a conflict after the first is canceled (the id stays reserved while the order is remembered).
        (await A1.Delete($"api/v1/orders/{first.Id}")).AssertStatus(HttpStatusCode.OK);
        (await A1.Place(Rest.Limit("buy", "45100", "1", clientOrderId: cid))).AssertError(HttpStatusCode.Conflict, "duplicate_client_order_id");
        // Another account may use the same client order id.
        var a2 = (await api.Client("A2").Place(Rest.Limit("buy", "45100", "1", clientOrderId: cid))).AssertStatus(HttpStatusCode.Created);
        (await api.Client("A2").Delete($"api/v1/orders/{a2.Id}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refused_order_frees_its_client_order_id()
    {
        var cid = "retry-" + Guid.NewGuid().ToString("N")[..8];
        (await A1.Place(Rest.Limit("buy", "99000", "1", clientOrderId: cid))).AssertError(HttpStatusCode.UnprocessableEntity, "price_band");
        // A risk reject is an order the venue saw: the id stays reserved like any finished order's.
        var again = await A1.Place(Rest.Limit("buy", "45300", "1", clientOrderId: cid));
        Assert.True(again.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, again.ToString());
        if (again.Status == HttpStatusCode.Created) (await A1.Delete($"api/v1/orders/{again.Id}")).AssertStatus(HttpStatusCode.OK);
    }

    // ---- 413 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Body_over_the_limit_is_413()
    {
        var huge = "{\"symbol\":\"BTCUSD\",\"pad\":\"" + new string('x', api.Config.Server.MaxRequestBodyBytes + 10) + "\"}";
        (await PlaceRaw(huge)).AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        (await api.Anonymous.PostRaw("api/v1/auth/token", huge)).AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_413()
    {
        var huge = "{\"symbol\":\"BTCUSD\",\"pad\":\"" + new string('x', api.Config.Server.MaxRequestBodyBytes + 10) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/orders")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await A1.SendAsync(request);
        (await Rest.Read(response)).AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Each_server_in_a_process_keeps_its_own_body_limit()
    {
        // Two servers in one process, started one after the other: the second one's limit must not become the first's.
        await using var small = await ApiServerFixture.StartAsync(c => c with { Server = c.Server with { MaxRequestBodyBytes = 2048 } });
        await using var large = await ApiServerFixture.StartAsync(c => c with { Server = c.Server with { MaxRequestBodyBytes = 64 * 1024 } });
        var body = "{\"symbol\":\"BTCUSD\",\"pad\":\"" + new string('x', 4096) + "\"}";
        var refused = await small.Client("A1").PostRaw("api/v1/orders", body);
        refused.AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Contains("larger than 2048 bytes", refused.ToString(), StringComparison.Ordinal);
        (await large.Client("A1").PostRaw("api/v1/orders", body)).AssertError(HttpStatusCode.BadRequest, "invalid_request"); // read, then refused as an order
    }

    // ---- 422 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Risk_rejects_are_422_with_the_reason()
    {
        // Price band: 10% around the 50000 mark.
        (await A1.Place(Rest.Limit("buy", "56000", "1"))).AssertError(HttpStatusCode.UnprocessableEntity, "price_band");
        (await A1.Place(Rest.Limit("sell", "44000", "1"))).AssertError(HttpStatusCode.UnprocessableEntity, "price_band");
        // [risk] max_order_qty = 1000.
        (await A1.Place(Rest.Limit("buy", "50000", "1001"))).AssertError(HttpStatusCode.UnprocessableEntity, "max_qty");
        // A rejected order is remembered with its reason.
        var rejected = (await A1.Get("api/v1/orders?status=all")).Body.EnumerateArray().Where(o => o.GetProperty("status").GetString() == "rejected").ToList();
        Assert.Contains(rejected, o => o.GetProperty("reason").GetString() == "price_band");
        Assert.Contains(rejected, o => o.GetProperty("reason").GetString() == "max_qty");
    }

    [Fact]
    public async Task Account_limits_from_config_overrides_are_422_disabled_account_403_halted_symbol_503()
    {
        await using var limited = await ApiServerFixture.StartAsync(c => c with
        {
            Trading = c.Trading with { EnabledSymbols = ["BTCUSD"] },
            Accounts = c.Accounts.Select(a => a.Id switch
            {
                "A1" => a with { MaxOrderQty = "2", MaxOrderNotional = "100000", MaxOpenOrders = 2, MaxPosition = "3", Credit = "150000" },
                "A2" => a with { Enabled = false },
                _ => a,
            }).ToList(),
        });
        var a1 = limited.Client("A1");
        (await a1.Place(Rest.Limit("buy", "50000", "2.5"))).AssertError(HttpStatusCode.UnprocessableEntity, "max_qty");
        (await a1.Place(Rest.Limit("buy", "50500", "2"))).AssertError(HttpStatusCode.UnprocessableEntity, "max_notional");
        var big = (await a1.Place(Rest.Limit("buy", "49000", "2"))).AssertStatus(HttpStatusCode.Created);    // exposure 98,000
        var small = (await a1.Place(Rest.Limit("buy", "49000", "1"))).AssertStatus(HttpStatusCode.Created);  // 147,000, worst long 3
        (await a1.Place(Rest.Limit("sell", "50000", "0.1"))).AssertError(HttpStatusCode.UnprocessableEntity, "max_open_orders");
        (await a1.Delete($"api/v1/orders/{small.Id}")).AssertStatus(HttpStatusCode.OK);
        (await a1.Place(Rest.Limit("buy", "49000", "1.1"))).AssertError(HttpStatusCode.UnprocessableEntity, "max_position");
        (await a1.Place(Rest.Limit("buy", "53000", "1"))).AssertError(HttpStatusCode.UnprocessableEntity, "credit_limit"); // 151,000
        (await a1.Patch($"api/v1/orders/{big.Id}", new { qty = "2.5" })).AssertError(HttpStatusCode.UnprocessableEntity, "max_qty");

        // A disabled account (enabled = false) is refused: 403.
        (await limited.Client("A2").Place(Rest.Limit("sell", "50000", "1"))).AssertError(HttpStatusCode.Forbidden, "account_disabled");

        // A symbol not in enabled_symbols is halted: 503.
        (await a1.Place(Rest.Limit("buy", "3000", "1", symbol: "ETHUSD"))).AssertError(HttpStatusCode.ServiceUnavailable, "instrument_halted");
        Assert.True((await limited.Anonymous.Get("api/v1/book/ETHUSD")).AssertStatus(HttpStatusCode.OK).Body.GetProperty("halted").GetBoolean());
    }

    // ---- 429 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Per_account_request_limit_is_429_with_retry_after()
    {
        await using var limited = await ApiServerFixture.StartAsync(c => c with
        {
            Accounts = c.Accounts.Select(a => a.Id == "A1" ? a with { RequestsPerSecond = 5 } : a).ToList(),
        });
        var a1 = limited.Client("A1");
        // A concurrent burst of 20 (bounded: the bucket holds 5 and refills 5/s, so on a slow machine a few more pass).
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => a1.Get("api/v1/orders")));
        Assert.Contains(results, r => r.Status == HttpStatusCode.OK);
        var limitedOnes = results.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(limitedOnes.Count >= 5, $"{limitedOnes.Count} of 20 requests limited at 5/s");
        Assert.Equal(20, limitedOnes.Count + results.Count(r => r.Status == HttpStatusCode.OK));
        foreach (var r in limitedOnes)
        {
            r.AssertError(HttpStatusCode.TooManyRequests, "rate_limited");
            Assert.True(int.TryParse(Assert.Single(r.Headers.GetValues("Retry-After")), out int seconds) && seconds >= 1);
        }
        // Orders count against the same budget (a concurrent burst of orders and queries); A2 (10,000/s) is unaffected.
        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? a1.Place(Rest.Limit("buy", "50000", "1")) : a1.Get("api/v1/account")));
        Assert.True(burst.Count(r => r.Status != HttpStatusCode.TooManyRequests) <= 6, string.Join("\n", burst.Select(r => r.ToString())));
        Assert.Contains(burst.Where((_, i) => i % 2 == 0), r => r.Status == HttpStatusCode.TooManyRequests && r.ErrorCode == "rate_limited");
        (await limited.Client("A2").Get("api/v1/orders")).AssertStatus(HttpStatusCode.OK);
        // The bucket refills.
        await Task.Delay(1100);
        (await a1.Get("api/v1/orders")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Global_order_throttle_is_429_with_retry_after_and_nothing_done()
    {
        await using var throttled = await ApiServerFixture.StartAsync(c => c with { Trading = c.Trading with { MaxOrdersPerSecond = 5 } });
        var a1 = throttled.Client("A1");
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => a1.Place(Rest.Limit("buy", "49000", "0.01", clientOrderId: $"t{i}"))));
        var accepted = results.Where(r => r.Status == HttpStatusCode.Created).ToList();
        var limitedOnes = results.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(20, accepted.Count + limitedOnes.Count);
        Assert.InRange(accepted.Count, 5, 15); // one second's burst (plus what refilled meanwhile on a slow machine)
        foreach (var r in limitedOnes)
        {
            r.AssertError(HttpStatusCode.TooManyRequests, "rate_limited");
            Assert.Equal("1", Assert.Single(r.Headers.GetValues("Retry-After")));
        }
        // Throttled orders never existed: only the accepted ones are listed, and their client ids were not consumed.
        var listed = (await a1.Get("api/v1/orders?status=all")).Body.EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToHashSet();
        Assert.Equal(accepted.Select(r => r.Id).ToHashSet(), listed);
        // Cancels and queries are not throttled.
        (await a1.Delete($"api/v1/orders/{accepted[0].Id}")).AssertStatus(HttpStatusCode.OK);
        (await a1.Delete("api/v1/orders")).AssertStatus(HttpStatusCode.OK);
    }
}
