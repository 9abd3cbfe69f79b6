using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Hft.Auth;
using Hft.Client;
using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Gateways.Fix;
using Hft.Gateways.Tests.Fix;
using Hft.Gateways.Tests.Support;
using Hft.Server.Auth;

namespace Hft.Gateways.Tests.Rest;

/// <summary>
/// One view of every order: orders entered over binary TCP and FIX are listed by REST <c>GET /api/v1/orders</c> and
/// reported on the WebSocket <c>user</c> channel exactly like REST orders - real sockets on one real node.
/// </summary>
public sealed class EveryGatewayOrderViewTests
{
    private const long Px49000 = 4_900_000, OneBtc = 10_000;

    [Fact]
    public async Task Binary_and_fix_orders_show_in_get_orders_and_on_the_user_channel_like_rest_orders()
    {
        await using var f = await FixServerFixture.StartAsync(c => c with { Gateway = c.Gateway with { BinaryEnabled = true, BinaryPort = 0 } });
        var tokens = new TokenService(f.Server.Config.Auth, SigningKeys.From(f.Server.Config.Auth));
        var baseUrl = new Uri(f.Server.Urls[0]);
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Mint("A1", Roles.Trader));

        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + tokens.Mint("A1", Roles.Trader));
        using (var connect = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            await ws.ConnectAsync(new Uri($"ws://{baseUrl.Authority}/ws"), connect.Token);
        await SendAsync(ws, """{"op":"subscribe","channel":"user"}""");
        await NextAsync(ws, m => Str(m, "op") == "subscribed");

        using var binary = await BinaryClient.ConnectAsync("127.0.0.1", f.Server.Binary!.EndPoint!.Port);
        Assert.Equal(MessageType.LoginAccepted, (await binary.LoginAsync(AuthKind.ApiKey, GatewayFixture.KeyA1)).Type);
        binary.SendNewOrder(7, GatewayFixture.Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px49000, OneBtc);
        long binaryId = (await binary.ExpectAsync(MessageType.OrderAccepted)).OrderId;

        await using var fix = await f.LogonAsync("CLIENT_A1");
        fix.NewOrder("F1", "BTCUSD", '1', "0.5", "49500.00"); // the best bid
        long fixId = long.Parse(fix.Expect(m => m.MsgType == "8" && m[FixTags.ExecType] == "0")[FixTags.OrderId]!, System.Globalization.CultureInfo.InvariantCulture);

        using var placed = await http.PostAsync("api/v1/orders", new StringContent(
            """{"clientOrderId":"R1","symbol":"BTCUSD","side":"buy","type":"limit","tif":"gtc","price":"47000","qty":"0.25"}""", Encoding.UTF8, "application/json"));
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        long restId = JsonDocument.Parse(await placed.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

        // GET /orders: all three, with the ids, client order ids and terms each gateway entered
        var open = await OrdersAsync(http, "open");
        Assert.Equal([restId, fixId, binaryId], open.Select(o => o.GetProperty("id").GetInt64()).Order().Reverse());
        var byId = open.ToDictionary(o => o.GetProperty("id").GetInt64());
        Assert.Equal(("7", "49000", "1", "new", "buy", "limit"), Terms(byId[binaryId]));
        Assert.Equal(("F1", "49500", "0.5", "new", "buy", "limit"), Terms(byId[fixId]));
        Assert.Equal(("R1", "47000", "0.25", "new", "buy", "limit"), Terms(byId[restId]));
        Assert.Equal(Names(byId[restId]), Names(byId[binaryId]));
        Assert.Equal(Names(byId[restId]), Names(byId[fixId]));

        // the user channel: the same "accepted" message for each, with the same fields
        var accepted = new Dictionary<long, JsonElement>();
        while (accepted.Count < 3)
        {
            var m = await NextAsync(ws, m => Str(m, "event") == "accepted");
            accepted[m.GetProperty("orderId").GetInt64()] = m;
        }
        Assert.Equal(("7", "49000", "1"), (Str(accepted[binaryId], "clientOrderId"), Str(accepted[binaryId], "price"), Str(accepted[binaryId], "qty")));
        Assert.Equal(("F1", "49500", "0.5"), (Str(accepted[fixId], "clientOrderId"), Str(accepted[fixId], "price"), Str(accepted[fixId], "qty")));
        Assert.Equal("R1", Str(accepted[restId], "clientOrderId"));
        Assert.Equal(Names(accepted[restId]), Names(accepted[binaryId]));
        Assert.Equal(Names(accepted[restId]), Names(accepted[fixId]));

        // a fill of the FIX order by another account: a partial fill on the channel and in GET /orders
        using (var a2 = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) })
        {
            a2.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Mint("A2", Roles.Trader));
            using var sold = await a2.PostAsync("api/v1/orders", new StringContent(
                """{"symbol":"BTCUSD","side":"sell","type":"limit","tif":"ioc","price":"49500","qty":"0.2"}""", Encoding.UTF8, "application/json"));
            Assert.True(sold.IsSuccessStatusCode, await sold.Content.ReadAsStringAsync());
        }
        var fill = await NextAsync(ws, m => Str(m, "event") == "fill");
        Assert.Equal((fixId, "F1", "maker", "partially_filled", "0.3"),
            (fill.GetProperty("orderId").GetInt64(), Str(fill, "clientOrderId"), Str(fill, "liquidity"), Str(fill, "status"), Str(fill, "remaining")));
        var fixOrder = (await OrdersAsync(http, "open")).Single(o => o.GetProperty("id").GetInt64() == fixId);
        Assert.Equal(("partially_filled", "0.2", "0.3"), (Str(fixOrder, "status"), Str(fixOrder, "filledQty"), Str(fixOrder, "remainingQty")));

        // a cancel over binary takes the order out of the open orders, and the channel says so
        binary.SendCancel(7);
        await binary.ExpectAsync(MessageType.Canceled);
        Assert.DoesNotContain(binaryId, (await OrdersAsync(http, "open")).Select(o => o.GetProperty("id").GetInt64()));
        var all = (await OrdersAsync(http, "all")).Single(o => o.GetProperty("id").GetInt64() == binaryId);
        Assert.Equal(("canceled", "7"), (Str(all, "status"), Str(all, "clientOrderId")));
        var canceled = await NextAsync(ws, m => Str(m, "event") == "canceled");
        Assert.Equal((binaryId, "7", "user"), (canceled.GetProperty("orderId").GetInt64(), Str(canceled, "clientOrderId"), Str(canceled, "reason")));
    }

    [Fact]
    public async Task A_binary_order_keeps_its_client_order_id_in_get_orders_across_a_restart()
    {
        await using var f = await FixServerFixture.StartAsync(c => c with { Gateway = c.Gateway with { BinaryEnabled = true, BinaryPort = 0 } });
        var tokens = new TokenService(f.Server.Config.Auth, SigningKeys.From(f.Server.Config.Auth));
        long id;
        using (var binary = await BinaryClient.ConnectAsync("127.0.0.1", f.Server.Binary!.EndPoint!.Port))
        {
            Assert.Equal(MessageType.LoginAccepted, (await binary.LoginAsync(AuthKind.ApiKey, GatewayFixture.KeyA1)).Type);
            binary.SendNewOrder(42, GatewayFixture.Btc, Side.Sell, OrderType.Limit, TimeInForce.Gtc, 5_100_000, 2_500);
            id = (await binary.ExpectAsync(MessageType.OrderAccepted)).OrderId;
        }
        await f.RestartAsync(); // the order and its client order id come back from the journal

        using var http = new HttpClient { BaseAddress = new Uri(f.Server.Urls[0]), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Mint("A1", Roles.Trader));
        var order = Assert.Single(await OrdersAsync(http, "open"));
        Assert.Equal((id, "42", "51000", "0.25", "new", "sell"),
            (order.GetProperty("id").GetInt64(), Str(order, "clientOrderId"), Str(order, "price"), Str(order, "qty"), Str(order, "status"), Str(order, "side")));
    }

    private static (string?, string?, string?, string?, string?, string?) Terms(JsonElement o)
        => (Str(o, "clientOrderId"), Str(o, "price"), Str(o, "qty"), Str(o, "status"), Str(o, "side"), Str(o, "type"));

    private static string Names(JsonElement o) => string.Join(",", o.EnumerateObject().Select(p => p.Name));

    private static string? Str(JsonElement m, string name)
        => m.ValueKind == JsonValueKind.Object && m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static async Task<List<JsonElement>> OrdersAsync(HttpClient http, string status)
    {
        var text = await http.GetStringAsync($"api/v1/orders?status={status}");
        return JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task SendAsync(ClientWebSocket ws, string text)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>The next message matching <paramref name="match"/> (others skipped), within a generous bound.</summary>
    private static async Task<JsonElement> NextAsync(ClientWebSocket ws, Func<JsonElement, bool> match)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, cts.Token);
            Assert.NotEqual(WebSocketMessageType.Close, r.MessageType);
            message.Write(buffer, 0, r.Count);
            if (!r.EndOfMessage) continue;
            var m = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            message.SetLength(0);
            if (match(m)) return m;
        }
    }
}
