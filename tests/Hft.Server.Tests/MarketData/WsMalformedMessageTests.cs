using System.Net.WebSockets;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.MarketData;

/// <summary>
/// Client messages on <c>/ws</c> that are not valid JSON or hold strings that are not Unicode: each is answered with a
/// <c>bad_json</c> error in our own words and the connection stays open; nothing else happens.
/// </summary>
public sealed class WsMalformedMessageTests
{
    [Theory]
    [InlineData("{\"op\":\"\\ud800\"}")]
    [InlineData("{\"op\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTC\\udc00\"}")]
    [InlineData("{\"op\":\"auth\",\"token\":\"\\ud800\\u0041\"}")]
    [InlineData("{\"\\udbff\":\"ping\"}")]
    [InlineData("{\"op\":\"subscribe\",\"channel\":\"level2\",\"symbol\":\"BTCUSD\",\"conflate_ms\":\"\\ud800\"}")]
    [InlineData("{\"op\":\"ping\"")]
    [InlineData("{\"op\":'ping'}")]
    [InlineData("{\"op\":\"ping\"} {\"op\":\"ping\"}")]
    public async Task Bad_message_gets_a_bad_json_error_and_the_connection_stays_open(string message)
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        await using var ws = await WsClient.ConnectAsync(s.BaseAddress);
        await ws.SendRawAsync(message);
        var reply = await ws.NextAsync();
        Assert.True(reply.TryGetProperty("error", out var error), reply.ToString());
        Assert.Equal("bad_json", WsClient.Str(error, "code"));
        ErrorText.AssertDecoderWords(WsClient.Str(error, "message")!);

        // still open and serving: a ping is answered, a subscription works
        await ws.SendAsync(new { op = "ping" });
        Assert.Equal("pong", WsClient.Str(await ws.NextAsync(), "op"));
        await ws.SendAsync(new { op = "subscribe", channel = "trades", symbol = "BTCUSD" });
        Assert.Equal("subscribed", WsClient.Str(await ws.NextAsync(), "op"));
        Assert.Equal(WebSocketState.Open, ws.Socket.State);
    }
}
