using Hft.Client;
using Hft.Core.Events;
using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Gateways.Tests.Support;
using Hft.Pipeline;
using static Hft.Gateways.Tests.Support.GatewayFixture;

namespace Hft.Gateways.Tests.Binary;

/// <summary>
/// Stop, iceberg and good-till-date orders over real binary sessions (protocol version 2's NewOrderV2, Triggered and
/// Refreshed), and what a version 1 session is still given.
/// </summary>
public class BinaryOrderTypeTests
{
    private const long Px50000 = 5_000_000, Px50100 = 5_010_000, Px50200 = 5_020_000, Px51000 = 5_100_000;
    private const long TenthBtc = 1_000, HalfBtc = 5_000, OneBtc = 10_000;

    [Fact]
    public async Task A_stop_limit_waits_off_the_book_and_fires_on_the_last_trade()
    {
        await using var s = await StartAsync();
        var a1 = await s.LoginAsync(KeyA1);
        var a2 = await s.LoginAsync(KeyA2);
        await LastTradeAt50000Async(a1, a2);

        a1.SendNewOrderV2(5, Btc, Side.Buy, OrderType.StopLimit, TimeInForce.Gtc, Px50200, HalfBtc, triggerPrice: Px50100);
        var accepted = await a1.ExpectAsync(MessageType.OrderAccepted);
        Assert.Equal((5ul, OrderType.StopLimit, TimeInForce.Gtc, Px50200, HalfBtc),
            (accepted.ClientOrderId, accepted.OrderType, accepted.Tif, accepted.Price, accepted.Quantity));
        var book = await s.GetJsonAsync("/api/v1/book/BTCUSD", "A1");
        Assert.DoesNotContain(book.GetProperty("bids").EnumerateArray(), l => Ticks(l[0].GetString()!) == Px50200); // pending: not in the book

        a2.SendNewOrder(2, Btc, Side.Sell, OrderType.Limit, TimeInForce.Gtc, Px50100, OneBtc);
        await a2.ExpectAsync(MessageType.OrderAccepted);
        a1.SendNewOrder(6, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px50100, TenthBtc); // trades at 50100: fires the stop
        await a1.ExpectAsync(MessageType.OrderAccepted);
        Assert.Equal(6ul, (await a1.ExpectAsync(MessageType.Fill)).ClientOrderId);
        var triggered = await a1.ExpectAsync(MessageType.Triggered);
        Assert.Equal((5ul, accepted.OrderId, Px50200, HalfBtc, Side.Buy, Btc),
            (triggered.ClientOrderId, triggered.OrderId, triggered.Price, triggered.Quantity, triggered.Side, triggered.Instrument));
        var fill = await a1.ExpectAsync(MessageType.Fill);
        Assert.Equal((5ul, Px50100, HalfBtc, 0L, Liquidity.Taker), (fill.ClientOrderId, fill.Price, fill.Quantity, fill.Leaves, fill.Liquidity));
    }

    [Fact]
    public async Task A_stop_whose_trigger_the_last_trade_reached_is_rejected()
    {
        await using var s = await StartAsync();
        var a1 = await s.LoginAsync(KeyA1);
        var a2 = await s.LoginAsync(KeyA2);
        await LastTradeAt50000Async(a1, a2);

        a1.SendNewOrderV2(2, Btc, Side.Sell, OrderType.Stop, TimeInForce.Gtc, 0, TenthBtc, triggerPrice: Px50100); // sell stop above the last trade
        var rejected = await a1.ExpectAsync(MessageType.OrderRejected);
        Assert.Equal((2ul, RejectReason.WouldTriggerImmediately), (rejected.ClientOrderId, (RejectReason)rejected.Reason));
        a1.SendNewOrderV2(3, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px50000, TenthBtc, triggerPrice: Px50100);
        Assert.Equal(RejectReason.InvalidTriggerPrice, (RejectReason)(await a1.ExpectAsync(MessageType.OrderRejected)).Reason);
    }

    [Fact]
    public async Task An_iceberg_shows_only_its_display_quantity_and_refreshes_it_from_the_reserve()
    {
        await using var s = await StartAsync();
        var a1 = await s.LoginAsync(KeyA1);
        var a2 = await s.LoginAsync(KeyA2);
        a1.SendNewOrderV2(1, Btc, Side.Sell, OrderType.Limit, TimeInForce.Gtc, Px51000, OneBtc, displayQuantity: TenthBtc);
        var accepted = await a1.ExpectAsync(MessageType.OrderAccepted);
        Assert.Equal(OneBtc, accepted.Quantity);
        Assert.Equal(TenthBtc, await AskAtAsync(s, Px51000));

        a2.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Ioc, Px51000, TenthBtc + TenthBtc / 2); // the slice, then half the next
        await a2.ExpectAsync(MessageType.OrderAccepted);
        var first = await a2.ExpectAsync(MessageType.Fill);
        var second = await a2.ExpectAsync(MessageType.Fill);
        Assert.Equal((TenthBtc, TenthBtc / 2, 0L), (first.Quantity, second.Quantity, second.Leaves));
        Assert.Equal(OneBtc - TenthBtc, (await a1.ExpectAsync(MessageType.Fill)).Leaves); // leaves: displayed and hidden
        var refreshed = await a1.ExpectAsync(MessageType.Refreshed); // a new slice from the reserve, at the back of its level
        Assert.Equal((1ul, accepted.OrderId, Px51000, TenthBtc, OneBtc - TenthBtc, Side.Sell, Btc),
            (refreshed.ClientOrderId, refreshed.OrderId, refreshed.Price, refreshed.Quantity, refreshed.Leaves, refreshed.Side, refreshed.Instrument));
        Assert.Equal(OneBtc - TenthBtc - TenthBtc / 2, (await a1.ExpectAsync(MessageType.Fill)).Leaves);
        Assert.Equal(TenthBtc / 2, await AskAtAsync(s, Px51000));

        a1.SendNewOrderV2(2, Btc, Side.Sell, OrderType.Limit, TimeInForce.Gtc, Px51000, OneBtc, displayQuantity: OneBtc / 200); // over 100 slices
        Assert.Equal(RejectReason.InvalidDisplayQty, (RejectReason)(await a1.ExpectAsync(MessageType.OrderRejected)).Reason);
    }

    [Fact]
    public async Task A_good_till_date_order_expires_with_a_canceled_report()
    {
        await using var s = await StartAsync();
        var a1 = await s.LoginAsync(KeyA1);
        long past = PipelineService.UnixNanosNow() - 1_000_000_000;
        a1.SendNewOrderV2(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtd, Px50000, TenthBtc, expireTime: past);
        Assert.Equal(RejectReason.InvalidExpireTime, (RejectReason)(await a1.ExpectAsync(MessageType.OrderRejected)).Reason);

        long soon = PipelineService.UnixNanosNow() + 300_000_000; // the server's expiry timer runs every 100 ms
        a1.SendNewOrderV2(2, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtd, Px50000, TenthBtc, expireTime: soon);
        var accepted = await a1.ExpectAsync(MessageType.OrderAccepted);
        Assert.Equal(TimeInForce.Gtd, accepted.Tif);
        var canceled = await a1.ExpectAsync(MessageType.Canceled);
        Assert.Equal((2ul, accepted.OrderId, TenthBtc, CancelReason.Expired),
            (canceled.ClientOrderId, canceled.OrderId, canceled.Quantity, (CancelReason)canceled.Reason));
        Assert.True(PipelineService.UnixNanosNow() >= soon);
    }

    [Fact]
    public async Task A_version_1_session_keeps_its_messages_and_may_not_send_a_NewOrderV2()
    {
        await using var s = await StartAsync();
        var v1 = await s.ConnectAsync();
        var reply = await v1.LoginAsync(AuthKind.ApiKey, KeyA1, version: 1);
        Assert.Equal((MessageType.LoginAccepted, (ushort)1), (reply.Type, reply.Version));
        v1.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px50000, TenthBtc);
        Assert.Equal(1ul, (await v1.ExpectAsync(MessageType.OrderAccepted)).ClientOrderId);
        v1.SendNewOrder(2, Btc, Side.Buy, OrderType.StopLimit, TimeInForce.Gtc, Px50000, TenthBtc); // version 1's NewOrder: limit and market only
        Assert.Equal(MessageType.NewOrder, (await v1.ExpectAsync(MessageType.SessionReject)).RefType);

        v1.SendNewOrderV2(3, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px50000, TenthBtc);
        Assert.Equal(DisconnectReason.UnknownMessageType, await v1.ClosedAsync());
    }

    /// <summary>A2 rests a bid of 1 BTC at 50000, A1 sells 0.1 into it (client order ids 1): BTCUSD's last trade is 50000.</summary>
    internal static async Task LastTradeAt50000Async(BinaryClient a1, BinaryClient a2)
    {
        a2.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px50000, OneBtc);
        await a2.ExpectAsync(MessageType.OrderAccepted);
        a1.SendNewOrder(1, Btc, Side.Sell, OrderType.Limit, TimeInForce.Gtc, Px50000, TenthBtc);
        await a1.ExpectAsync(MessageType.OrderAccepted);
        await a1.ExpectAsync(MessageType.Fill);
        await a2.ExpectAsync(MessageType.Fill);
    }

    internal static async Task<long> AskAtAsync(GatewayFixture s, long price)
    {
        var book = await s.GetJsonAsync("/api/v1/book/BTCUSD", "A1");
        foreach (var level in book.GetProperty("asks").EnumerateArray())
            if (Ticks(level[0].GetString()!) == price) return Lots(level[1].GetString()!);
        return 0;
    }

    // BTCUSD: tick 0.01, lot 0.0001
    private static long Ticks(string price) => (long)(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture) * 100);

    private static long Lots(string qty) => (long)(decimal.Parse(qty, System.Globalization.CultureInfo.InvariantCulture) * 10_000);
}
