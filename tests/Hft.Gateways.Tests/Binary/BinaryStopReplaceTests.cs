using Hft.Client;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Gateways.Tests.Support;
using static Hft.Gateways.Tests.Binary.BinaryOrderTypeTests;
using static Hft.Gateways.Tests.Support.GatewayFixture;

namespace Hft.Gateways.Tests.Binary;

/// <summary>
/// Moving a pending stop's trigger over real binary sessions (version 2's ReplaceOrderV2, answered by ReplacedV2), the
/// replace's hostile forms, and what a version 1 session is given meanwhile (Replaced, no Refreshed).
/// </summary>
public class BinaryStopReplaceTests
{
    private const long Px49000 = 4_900_000, Px50100 = 5_010_000, Px50200 = 5_020_000, Px50300 = 5_030_000, Px51000 = 5_100_000;
    private const long TenthBtc = 1_000, HalfBtc = 5_000, OneBtc = 10_000;

    [Fact]
    public async Task A_stop_whose_trigger_was_replaced_fires_at_the_new_trigger_and_not_at_the_old()
    {
        await using var s = await StartAsync();
        var a1 = await s.LoginAsync(KeyA1);
        var a2 = await s.LoginAsync(KeyA2);
        await LastTradeAt50000Async(a1, a2);
        var accepted = await PendingBuyStopAsync(a1);

        a1.SendReplace(5, HalfBtc, triggerPrice: Px50200);
        var replaced = await a1.ExpectAsync(MessageType.ReplacedV2);
        Assert.Equal((5ul, accepted.OrderId, Px50300, HalfBtc, Px50200, Btc),
            (replaced.ClientOrderId, replaced.OrderId, replaced.Price, replaced.Leaves, replaced.TriggerPrice, replaced.Instrument));
        var listed = (await s.GetJsonAsync("/api/v1/orders", "A1")).EnumerateArray().Single(o => o.GetProperty("id").GetInt64() == accepted.OrderId);
        Assert.Equal(50200m, decimal.Parse(listed.GetProperty("triggerPrice").GetString()!, System.Globalization.CultureInfo.InvariantCulture)); // REST's view

        await RestAsync(a2, 2, Side.Sell, Px50100, TenthBtc);
        await RestAsync(a2, 3, Side.Sell, Px50200, OneBtc);
        a1.SendNewOrder(6, Btc, Side.Buy, OrderType.Limit, TimeInForce.Ioc, Px50100, TenthBtc); // a trade at the old trigger
        await a1.ExpectAsync(MessageType.OrderAccepted);
        var f6 = await a1.ExpectAsync(MessageType.Fill);
        Assert.Equal((6ul, Px50100), (f6.ClientOrderId, f6.Price));

        a1.SendNewOrder(7, Btc, Side.Buy, OrderType.Limit, TimeInForce.Ioc, Px50200, TenthBtc); // a trade at the new one
        // Had the stop fired at 50100, its Triggered would have come with order 6's fill, before order 7's answers.
        Assert.Equal(7ul, (await a1.ExpectAsync(MessageType.OrderAccepted)).ClientOrderId);
        var f7 = await a1.ExpectAsync(MessageType.Fill);
        Assert.Equal((7ul, Px50200), (f7.ClientOrderId, f7.Price));
        await ExpectStopFiredAndFilledAsync(a1, Px50200);
    }

    [Fact]
    public async Task A_wrong_trigger_replace_is_refused_and_the_stop_fires_as_it_was()
    {
        await using var s = await StartAsync();
        var a1 = await s.LoginAsync(KeyA1);
        var a2 = await s.LoginAsync(KeyA2);
        await LastTradeAt50000Async(a1, a2);
        await PendingBuyStopAsync(a1);
        await RestAsync(a1, 8, Side.Buy, Px49000, TenthBtc);

        await ExpectRefusedAsync(a1, 8, Px50100, RejectReason.InvalidTriggerPrice); // a resting limit order has no trigger
        await ExpectRefusedAsync(a1, 5, 0, RejectReason.InvalidTriggerPrice);
        await ExpectRefusedAsync(a1, 5, -Px50200, RejectReason.InvalidTriggerPrice);
        await ExpectRefusedAsync(a1, 5, Instrument.MaxPriceTicks + 1, RejectReason.InvalidTriggerPrice);
        await ExpectRefusedAsync(a1, 5, Px49000, RejectReason.WouldTriggerImmediately); // a buy stop below the last trade
        await ExpectRefusedAsync(a1, 99, Px50200, RejectReason.UnknownOrder);

        // Undefined flag bits: a ReplaceOrderV2 knows bits 0 and 1, version 1's ReplaceOrder only bit 0.
        a1.Send(new BinaryMessage
        {
            Type = MessageType.ReplaceOrderV2, ClientOrderId = 5, Quantity = OneBtc, TriggerPrice = Px50200, Flags = BinaryMessage.HasTriggerFlag | 4,
        }, flush: true);
        Assert.Equal(MessageType.ReplaceOrderV2, (await a1.ExpectAsync(MessageType.SessionReject)).RefType);
        a1.Send(new BinaryMessage { Type = MessageType.ReplaceOrder, ClientOrderId = 5, Quantity = OneBtc, Flags = BinaryMessage.HasTriggerFlag },
            flush: true);
        Assert.Equal(MessageType.ReplaceOrder, (await a1.ExpectAsync(MessageType.SessionReject)).RefType);

        // Untouched: it fires at 50100 with its half bitcoin.
        await RestAsync(a2, 2, Side.Sell, Px50100, OneBtc);
        a1.SendNewOrder(6, Btc, Side.Buy, OrderType.Limit, TimeInForce.Ioc, Px50100, TenthBtc);
        await a1.ExpectAsync(MessageType.OrderAccepted);
        await a1.ExpectAsync(MessageType.Fill);
        await ExpectStopFiredAndFilledAsync(a1, Px50100);
    }

    [Fact]
    public async Task A_version_1_session_gets_Replaced_for_a_moved_trigger_and_no_Refreshed()
    {
        await using var s = await StartAsync();
        var v1 = await s.ConnectAsync();
        Assert.Equal((ushort)1, (await v1.LoginAsync(AuthKind.ApiKey, KeyA1, version: 1)).Version);
        var a2 = await s.LoginAsync(KeyA2);
        long stop = (await s.SendJsonAsync(HttpMethod.Post, "/api/v1/orders", "A1",
            """{"symbol":"BTCUSD","side":"buy","type":"stop_limit","triggerPrice":"50100","price":"50300","qty":"0.5"}""")).GetProperty("id").GetInt64();
        v1.SendReplace(21, HalfBtc, orderId: stop, instrument: Btc); // adopts the REST order
        var r = await v1.ExpectAsync(MessageType.Replaced);
        Assert.Equal((21ul, HalfBtc), (r.ClientOrderId, r.Leaves));

        await s.SendJsonAsync(HttpMethod.Patch, $"/api/v1/orders/{stop}", "A1", """{"qty":"0.5","triggerPrice":"50200"}""");
        // Replaced is a 48-byte frame (the codec reads each type only at its exact size): version 1's layout, no trigger.
        var moved = await v1.ExpectAsync(MessageType.Replaced);
        Assert.Equal((21ul, HalfBtc), (moved.ClientOrderId, moved.Leaves));

        long iceberg = (await s.SendJsonAsync(HttpMethod.Post, "/api/v1/orders", "A1",
            """{"symbol":"BTCUSD","side":"sell","type":"limit","price":"51000","qty":"1","displayQty":"0.1"}""")).GetProperty("id").GetInt64();
        v1.SendReplace(22, OneBtc, orderId: iceberg, instrument: Btc);
        await v1.ExpectAsync(MessageType.Replaced);
        a2.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Ioc, Px51000, TenthBtc + TenthBtc / 2); // the slice, then half the next
        await a2.ExpectAsync(MessageType.OrderAccepted);
        Assert.Equal(OneBtc - TenthBtc, (await v1.ExpectAsync(MessageType.Fill)).Leaves);
        Assert.Equal(OneBtc - TenthBtc - TenthBtc / 2, (await v1.ExpectAsync(MessageType.Fill)).Leaves); // no Refreshed between

        v1.SendReplace(21, HalfBtc, triggerPrice: Px50300); // a ReplaceOrderV2: not a version 1 message
        Assert.Equal(DisconnectReason.UnknownMessageType, await v1.ClosedAsync());
    }

    /// <summary>Order 5: a buy stop limit of half a bitcoin at 50300, triggered at 50100.</summary>
    private static async Task<BinaryMessage> PendingBuyStopAsync(BinaryClient client)
    {
        client.SendNewOrderV2(5, Btc, Side.Buy, OrderType.StopLimit, TimeInForce.Gtc, Px50300, HalfBtc, triggerPrice: Px50100);
        return await client.ExpectAsync(MessageType.OrderAccepted);
    }

    /// <summary>Order 5 fired (Triggered at its limit, half a bitcoin) and filled whole at <paramref name="price"/>.</summary>
    private static async Task ExpectStopFiredAndFilledAsync(BinaryClient client, long price)
    {
        var triggered = await client.ExpectAsync(MessageType.Triggered);
        Assert.Equal((5ul, Px50300, HalfBtc), (triggered.ClientOrderId, triggered.Price, triggered.Quantity));
        var fill = await client.ExpectAsync(MessageType.Fill);
        Assert.Equal((5ul, price, HalfBtc, 0L), (fill.ClientOrderId, fill.Price, fill.Quantity, fill.Leaves));
    }

    /// <summary>A GTC limit order on BTCUSD, its acceptance awaited.</summary>
    private static async Task RestAsync(BinaryClient client, ulong clientOrderId, Side side, long price, long quantity)
    {
        client.SendNewOrder(clientOrderId, Btc, side, OrderType.Limit, TimeInForce.Gtc, price, quantity);
        await client.ExpectAsync(MessageType.OrderAccepted);
    }

    private static async Task ExpectRefusedAsync(BinaryClient client, ulong clientOrderId, long trigger, RejectReason reason)
    {
        client.SendReplace(clientOrderId, HalfBtc, triggerPrice: trigger);
        var rejected = await client.ExpectAsync(MessageType.OrderRejected);
        Assert.Equal((clientOrderId, (byte)Hft.Core.Matching.CommandOp.Replace, reason), (rejected.ClientOrderId, rejected.Op, (RejectReason)rejected.Reason));
    }
}
