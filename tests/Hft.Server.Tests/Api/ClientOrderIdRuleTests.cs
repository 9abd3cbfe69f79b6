using System.Net;
using System.Text.Json;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// A <c>clientOrderId</c> is 1 to 64 printable ASCII characters without spaces (what FIX-compatible venues accept for
/// ClOrdID): control characters, line breaks, bidi overrides, zero-width and other non-ASCII characters are refused
/// before the order takes an id, so they never reach the journal, the audit or another client's screen.
/// </summary>
public sealed class ClientOrderIdRuleTests(ApiServerFixture api) : IClassFixture<ApiServerFixture>
{
    [Theory]
    [InlineData("\u0000")]
    [InlineData("abc\u0000def")]
    [InlineData("a\r\nb")]
    [InlineData("line\n")]
    [InlineData("\u202Eevil")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("\uFEFFbom")]
    [InlineData("with space")]
    [InlineData("tab\there")]
    [InlineData("del\u007F")]
    [InlineData("caf\u00E9")]
    [InlineData("\u00A0")]
    [InlineData("x\u0085")]
    [InlineData("ａｂｃ")]
    [InlineData("")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task Unsafe_client_order_id_is_400_and_no_order_exists(string clientOrderId)
    {
        var a1 = api.Client("A1");
        int before = (await a1.Get("api/v1/orders?status=all&limit=5000")).Body.GetArrayLength();
        var body = JsonSerializer.Serialize(new { clientOrderId, symbol = "BTCUSD", side = "buy", type = "limit", price = "45000", qty = "0.01" });
        var message = (await a1.PostRaw("api/v1/orders", body)).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("clientOrderId must be 1 to 64 printable ASCII characters (! to ~, no spaces)", message);
        Assert.Equal(before, (await a1.Get("api/v1/orders?status=all&limit=5000")).Body.GetArrayLength());
    }

    [Theory]
    [InlineData("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[")]
    [InlineData("\\]^_`abcdefghijklmnopqrstuvwxyz{|}~")]
    [InlineData("c")]
    [InlineData("1234567890123456789012345678901234567890123456789012345678901234")]
    public async Task Printable_ascii_client_order_id_up_to_64_characters_is_accepted_and_echoed(string clientOrderId)
    {
        var a1 = api.Client("A1");
        string unique = clientOrderId.Length < 60 ? clientOrderId + Guid.NewGuid().ToString("N")[..4] : clientOrderId[..60] + Guid.NewGuid().ToString("N")[..4];
        var placed = (await a1.Place(Rest.Limit("buy", "45001", "0.01", clientOrderId: unique))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(unique, placed.Str("clientOrderId"));
        (await a1.Delete($"api/v1/orders/{placed.Id}")).AssertStatus(HttpStatusCode.OK);
    }
}
