using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.MarketData;

/// <summary>One frame per message, shared by every subscriber: all of them read the same bytes in the same order.</summary>
public sealed class FanoutSharingTests
{
    [Fact]
    public async Task Many_subscribers_receive_byte_identical_messages_in_order()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c);
        var clients = new List<WsClient>();
        try
        {
            for (int i = 0; i < 12; i++)
            {
                var ws = await WsClient.ConnectAsync(s.BaseAddress);
                await ws.SendAsync(new { op = "subscribe", channel = "level2", symbol = "BTCUSD" });
                await ws.SendAsync(new { op = "subscribe", channel = "trades", symbol = "BTCUSD" });
                // the trades acknowledgment may come before the level2 snapshot (the book is seeded on first use)
                bool snapshot = false, trades = false;
                while (!(snapshot && trades))
                {
                    var m = await ws.NextAsync();
                    snapshot |= WsClient.Str(m, "channel") == "level2" && WsClient.Str(m, "type") == "snapshot";
                    trades |= WsClient.Str(m, "op") == "subscribed" && WsClient.Str(m, "channel") == "trades";
                }
                clients.Add(ws);
            }

            var a1 = s.Client("A1");
            var a2 = s.Client("A2");
            for (int i = 0; i < 10; i++)
            {
                await a1.Place(Rest.Limit("buy", (49000 - i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "0.5"));
                await a2.Place(Rest.Limit("sell", "48000", "0.2", tif: "ioc"));
            }

            var seen = new List<List<string>>();
            foreach (var ws in clients)
            {
                var raw = new List<string>();
                while (true)
                {
                    var m = await ws.NextAsync();
                    raw.Add(m.GetRawText());
                    if (WsClient.Str(m, "channel") == "trades" && m.GetProperty("seq").GetInt64() == 10) break;
                }
                seen.Add(raw);
            }

            Assert.Equal(10, seen[0].Count(t => t.Contains("\"channel\":\"trades\"", StringComparison.Ordinal)));
            Assert.True(seen[0].Count(t => t.Contains("\"type\":\"update\"", StringComparison.Ordinal)) >= 10);
            foreach (var other in seen.Skip(1)) Assert.Equal(seen[0], other);
        }
        finally
        {
            foreach (var ws in clients) await ws.DisposeAsync();
        }
    }
}
