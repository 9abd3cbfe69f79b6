using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// CsCheck-generated bodies - valid orders, hostile field values (lone surrogates, control and bidi characters, huge
/// numbers, deep nesting), duplicate and unknown fields, and raw JSON-like garbage - sent to a real server's JSON
/// routes: every answer is a success or a 4xx with the API's error body, never a 5xx; the server stays up; only the
/// orders it accepted exist afterwards.
/// </summary>
public sealed class JsonFuzzTests
{
    private static readonly string[] s_hostile =
    [
        "\\ud800", "\\udc00", "\\udbff\\u0041", "\\u0000", "\u202E", "\u200B", "\uFEFF", "\\r\\n", "\\\"", "\\\\", "\U0001D11E", "\\u00e9", "\u0085",
        "%00", "BTCUSD", "buy", "limit", "0.01", "45000",
    ];

    private static readonly string[] s_numbers =
    [
        "1e400", "-1e400", "99999999999999999999999999999999", "0.0000000000000000000000001", "1E+2", "-0", "01", "1.", "-", "NaN", "Infinity",
        "9223372036854775808", "45000", "0.01",
    ];

    private static readonly string[] s_fields = ["symbol", "side", "type", "tif", "price", "qty", "clientOrderId", "postOnly", "stp", "apiKey", "x", ""];

    private static readonly Gen<string> s_text =
        Gen.OneOfConst(s_hostile).Array[0, 4].Select(parts => string.Concat(parts))
            .Select(Gen.String[Gen.Char['!', '~'], 0, 8], (hostile, plain) => "\"" + plain + hostile + "\"");

    private static readonly Gen<string> s_deep =
        Gen.Int[1, 300].Select(Gen.Bool, (n, closed) => new string('[', n) + "1" + (closed ? new string(']', n) : ""));

    private static readonly Gen<string> s_value = Gen.OneOf(
        s_text,
        Gen.OneOfConst(s_numbers),
        Gen.Long.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOfConst("true", "false", "null", "{}", "[]"),
        s_deep);

    private static readonly Gen<string> s_hostileObject =
        Gen.Select(Gen.OneOf(Gen.OneOfConst(s_fields).Select(f => "\"" + f + "\""), s_text), s_value, (k, v) => k + ":" + v)
            .Array[0, 10].Select(pairs => "{" + string.Join(",", pairs) + "}");

    private static readonly Gen<string> s_validOrder =
        Gen.Int[46_000, 49_000].Select(Gen.Int[1, 9], Gen.String[Gen.Char['!', '~'], 1, 20], (price, lots, id) => JsonSerializer.Serialize(new
        {
            clientOrderId = id, symbol = "BTCUSD", side = "buy", type = "limit", price = price.ToString(System.Globalization.CultureInfo.InvariantCulture),
            qty = "0.0" + lots.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));

    private static readonly Gen<string> s_garbage = Gen.String[Gen.OneOfConst("{}[]\":,\\u0123456789abcdefnrtlsuBTCUSD .-+eE".ToCharArray()), 0, 200];

    private static readonly Gen<string> s_body = Gen.OneOf(s_validOrder, s_hostileObject, s_hostileObject, s_garbage, s_deep);

    [Fact]
    public async Task Generated_bodies_are_answered_2xx_or_4xx_with_an_error_body_and_leave_only_accepted_orders()
    {
        await using var s = await ServerFixture.StartAsync(c => c with
        {
            Accounts = c.Accounts.Select(a => a.Id == "A1" ? a with { RequestsPerSecond = 100_000 } : a).ToList(),
        });
        string a1 = s.Token("A1");
        int accepted = 0;
        await s_body.SampleAsync(async body =>
        {
            foreach (var (path, token) in new[] { ("/api/v1/orders", a1), ("/api/v1/auth/token", (string?)null) })
            {
                var reply = await s.SendAsync(HttpMethod.Post, path, token, body);
                int status = (int)reply.Status;
                Assert.True(status is (>= 200 and < 300) or (>= 400 and < 500), $"{status} for {path} {body}: {reply.Text}");
                if (status >= 400)
                {
                    var error = reply.Json.GetProperty("error");
                    Assert.False(string.IsNullOrEmpty(error.GetProperty("code").GetString()), reply.Text);
                    Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()), reply.Text);
                }
                else if (path == "/api/v1/orders") Interlocked.Increment(ref accepted);
            }
        }, iter: 400, threads: 1, seed: null);

        Assert.Equal(HttpStatusCode.OK, (await s.Client.GetAsync("/health")).StatusCode);
        var orders = await s.GetAsync("/api/v1/orders?status=all&limit=5000", a1);
        Assert.Equal(accepted, orders.ShouldBe(HttpStatusCode.OK).Json.GetArrayLength());
    }
}
