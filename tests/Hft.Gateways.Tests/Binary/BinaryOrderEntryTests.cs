using System.Text.Json;
using Hft.Auth;
using Hft.Client;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Gateways.Tests.Support;
using Hft.Server.Auth;
using static Hft.Gateways.Tests.Support.GatewayFixture;

namespace Hft.Gateways.Tests.Binary;

/// <summary>Order entry over the binary protocol against a real server: every order kind and its responses.</summary>
public class BinaryOrderEntryTests
{
    private const long Px49000 = 4_900_000, Px50000 = 5_000_000, Px50100 = 5_010_000;
    private const long HalfBtc = 5_000, OneBtc = 10_000;

    [Fact]
    public async Task Login_with_an_api_key_or_a_jwt_is_accepted_and_names_the_session_parameters()
    {
        await using var s = await StartAsync();
        var client = await s.ConnectAsync();
        var reply = await client.LoginAsync(AuthKind.ApiKey, KeyA1);
        Assert.Equal(MessageType.LoginAccepted, reply.Type);
        Assert.Equal((BinaryProtocol.Version, 1000u, 2u, 250_000u), (reply.Version, reply.HeartbeatMs, reply.Count, reply.MaxRate));

        var jwt = await s.ConnectAsync();
        Assert.Equal(MessageType.LoginAccepted, (await jwt.LoginAsync(AuthKind.Jwt, s.Tokens.Mint("A2", Roles.Trader))).Type);
        Assert.Contains("hft_gateway_sessions{protocol=\"binary\"} 2", await s.MetricsAsync());
    }

    [Theory]
    [InlineData(AuthKind.ApiKey, "not-a-key", BinaryProtocol.Version, LoginRejectReason.BadCredentials)]
    [InlineData(AuthKind.Jwt, "not.a.jwt", BinaryProtocol.Version, LoginRejectReason.BadCredentials)]
    [InlineData((AuthKind)9, "dev-key-A1", BinaryProtocol.Version, LoginRejectReason.BadAuthKind)]
    [InlineData(AuthKind.ApiKey, "dev-key-A1", (ushort)99, LoginRejectReason.UnsupportedVersion)]
    public async Task A_bad_login_is_rejected_with_its_reason_and_the_connection_closed(AuthKind kind, string credential, ushort version,
        LoginRejectReason expected)
    {
        await using var s = await StartAsync();
        var client = await s.ConnectAsync();
        var reply = await client.LoginAsync(kind, credential, version: version);
        Assert.Equal(MessageType.LoginRejected, reply.Type);
        Assert.Equal(expected, (LoginRejectReason)reply.Reason);
        await client.ClosedAsync();
        Assert.Contains("hft_gateway_disconnects_total{protocol=\"binary\",reason=\"login_failed\"} 1", await s.MetricsAsync());
    }

    [Fact]
    public async Task A_jwt_of_an_unknown_account_is_rejected()
    {
        await using var s = await StartAsync();
        var client = await s.ConnectAsync();
        var reply = await client.LoginAsync(AuthKind.Jwt, s.Tokens.Mint("NOBODY", Roles.Trader));
        Assert.Equal((MessageType.LoginRejected, LoginRejectReason.UnknownAccount), (reply.Type, (LoginRejectReason)reply.Reason));
    }

    [Fact]
    public async Task A_limit_order_is_accepted_replaced_and_canceled_under_the_clients_id()
    {
        await using var s = await StartAsync();
        var c = await s.LoginAsync();
        c.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px49000, OneBtc);
        var accepted = await c.ExpectAsync(MessageType.OrderAccepted);
        Assert.Equal((1ul, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px49000, OneBtc),
            (accepted.ClientOrderId, accepted.Instrument, accepted.Side, accepted.OrderType, accepted.Tif, accepted.Price, accepted.Quantity));
        Assert.True(accepted.OrderId > 0);

        c.SendReplace(1, HalfBtc, Px49000 + 100);
        var replaced = await c.ExpectAsync(MessageType.Replaced);
        Assert.Equal((1ul, accepted.OrderId, Px49000 + 100, HalfBtc), (replaced.ClientOrderId, replaced.OrderId, replaced.Price, replaced.Leaves));

        c.SendReplace(1, OneBtc); // quantity only: the price stays
        replaced = await c.ExpectAsync(MessageType.Replaced);
        Assert.Equal((Px49000 + 100, OneBtc), (replaced.Price, replaced.Leaves));

        c.SendCancel(1);
        var canceled = await c.ExpectAsync(MessageType.Canceled);
        Assert.Equal((1ul, accepted.OrderId, OneBtc, CancelReason.User), (canceled.ClientOrderId, canceled.OrderId, canceled.Quantity, (CancelReason)canceled.Reason));

        c.SendCancel(1); // no longer live
        var rejected = await c.ExpectAsync(MessageType.OrderRejected);
        Assert.Equal((1ul, RejectReason.UnknownOrder, CommandOp.Cancel), (rejected.ClientOrderId, (RejectReason)rejected.Reason, (CommandOp)rejected.Op));

        // The same client order id may be used again once its order is finished.
        c.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px49000, OneBtc);
        Assert.Equal(1ul, (await c.ExpectAsync(MessageType.OrderAccepted)).ClientOrderId);
    }

    [Fact]
    public async Task A_crossing_order_fills_the_taker_and_the_maker_fill_reaches_the_makers_own_session()
    {
        await using var s = await StartAsync();
        var maker = await s.LoginAsync(KeyA1);
        var taker = await s.LoginAsync(KeyA2);
        maker.SendNewOrder(10, Btc, Side.Sell, OrderType.Limit, TimeInForce.Gtc, Px50000, OneBtc);
        var resting = await maker.ExpectAsync(MessageType.OrderAccepted);

        taker.SendNewOrder(20, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px50100, HalfBtc);
        var takerAccepted = await taker.ExpectAsync(MessageType.OrderAccepted);
        var takerFill = await taker.ExpectAsync(MessageType.Fill);
        Assert.Equal((20ul, takerAccepted.OrderId, Px50000, HalfBtc, 0L, Liquidity.Taker, Side.Buy),
            (takerFill.ClientOrderId, takerFill.OrderId, takerFill.Price, takerFill.Quantity, takerFill.Leaves, takerFill.Liquidity, takerFill.Side));

        var makerFill = await maker.ExpectAsync(MessageType.Fill);
        Assert.Equal((10ul, resting.OrderId, Px50000, HalfBtc, HalfBtc, Liquidity.Maker, Side.Sell),
            (makerFill.ClientOrderId, makerFill.OrderId, makerFill.Price, makerFill.Quantity, makerFill.Leaves, makerFill.Liquidity, makerFill.Side));
        Assert.True(makerFill.ExecId > 0 && takerFill.ExecId > 0);

        // The same risk and positions as REST sees them.
        var a1 = await s.GetJsonAsync("/api/v1/positions", "A1");
        var a2 = await s.GetJsonAsync("/api/v1/positions", "A2");
        Assert.Equal("-0.5", Position(a1, "BTCUSD"));
        Assert.Equal("0.5", Position(a2, "BTCUSD"));
        var trades = await s.GetJsonAsync("/api/v1/trades/BTCUSD", "A1");
        Assert.Equal(1, trades.GetArrayLength());
    }

    private static string? Position(JsonElement positions, string symbol)
        => positions.EnumerateArray().First(p => p.GetProperty("symbol").GetString() == symbol).GetProperty("qty").GetString();

    [Fact]
    public async Task Ioc_fok_market_and_post_only_orders_report_their_cancels_with_reasons()
    {
        await using var s = await StartAsync();
        var maker = await s.LoginAsync(KeyA1);
        var c = await s.LoginAsync(KeyA2);
        maker.SendNewOrder(1, Btc, Side.Sell, OrderType.Limit, TimeInForce.Gtc, Px50000, HalfBtc);
        await maker.ExpectAsync(MessageType.OrderAccepted);

        // IOC buy for one BTC: half fills, the rest is canceled.
        c.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Ioc, Px50100, OneBtc);
        await c.ExpectAsync(MessageType.OrderAccepted);
        var fill = await c.ExpectAsync(MessageType.Fill);
        Assert.Equal((HalfBtc, HalfBtc), (fill.Quantity, fill.Leaves));
        var rest = await c.ExpectAsync(MessageType.Canceled);
        Assert.Equal((1ul, HalfBtc, CancelReason.IocRemainder), (rest.ClientOrderId, rest.Quantity, (CancelReason)rest.Reason));
        Assert.Equal(MessageType.Fill, (await maker.ExpectAsync(MessageType.Fill)).Type);

        // FOK that cannot fill: nothing trades.
        c.SendNewOrder(2, Btc, Side.Buy, OrderType.Limit, TimeInForce.Fok, Px50100, OneBtc);
        var fok = await SkipAcceptedAsync(c);
        Assert.Equal((MessageType.Canceled, CancelReason.FokUnfilled), (fok.Type, (CancelReason)fok.Reason));

        // Market order with an empty opposite side.
        c.SendNewOrder(3, Btc, Side.Buy, OrderType.Market, TimeInForce.Ioc, 0, OneBtc);
        var market = await SkipAcceptedAsync(c);
        Assert.Equal((MessageType.Canceled, CancelReason.MarketNoLiquidity), (market.Type, (CancelReason)market.Reason));

        // Post-only that would cross.
        maker.SendNewOrder(2, Btc, Side.Sell, OrderType.Limit, TimeInForce.Gtc, Px50000, HalfBtc);
        await maker.ExpectAsync(MessageType.OrderAccepted);
        c.SendNewOrder(4, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px50100, HalfBtc, postOnly: true);
        var postOnly = await SkipAcceptedAsync(c);
        Assert.Equal((MessageType.Canceled, CancelReason.PostOnlyWouldCross), (postOnly.Type, (CancelReason)postOnly.Reason));
    }

    private static async Task<BinaryMessage> SkipAcceptedAsync(BinaryClient c)
    {
        var m = await c.NextAsync();
        return m.Type == MessageType.OrderAccepted ? await c.NextAsync() : m;
    }

    [Fact]
    public async Task Mass_cancel_cancels_every_open_order_and_reports_the_count()
    {
        await using var s = await StartAsync();
        var c = await s.LoginAsync();
        for (ulong i = 1; i <= 3; i++)
        {
            c.SendNewOrder(i, i == 3 ? Eth : Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, i == 3 ? 290_000 : Px49000, OneBtc);
            await c.ExpectAsync(MessageType.OrderAccepted);
        }
        c.SendMassCancel(99, Btc);
        var canceled = new HashSet<ulong>();
        for (int i = 0; i < 2; i++) canceled.Add((await c.ExpectAsync(MessageType.Canceled)).ClientOrderId);
        var done = await c.ExpectAsync(MessageType.MassCancelDone);
        Assert.Equal((99ul, 2u), (done.ClientOrderId, done.Count));
        Assert.Equal([1ul, 2ul], canceled.Order());

        c.SendMassCancel(100); // all instruments
        Assert.Equal(3ul, (await c.ExpectAsync(MessageType.Canceled)).ClientOrderId);
        Assert.Equal((100ul, 1u), ((await c.ExpectAsync(MessageType.MassCancelDone)).ClientOrderId, (await Task.FromResult(1u))));
    }

    [Fact]
    public async Task Invalid_orders_are_rejected_with_the_core_reason_codes()
    {
        await using var s = await StartAsync();
        var c = await s.LoginAsync();
        async Task Expect(ulong cid, RejectReason reason)
        {
            var m = await c.ExpectAsync(MessageType.OrderRejected);
            Assert.Equal((cid, reason), (m.ClientOrderId, (RejectReason)m.Reason));
        }
        c.SendNewOrder(1, 7, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px49000, OneBtc);
        await Expect(1, RejectReason.UnknownSymbol);
        c.SendNewOrder(2, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 0, OneBtc);
        await Expect(2, RejectReason.InvalidPrice);
        c.SendNewOrder(3, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px49000, -1);
        await Expect(3, RejectReason.InvalidQty);
        c.SendNewOrder(4, Btc, Side.Buy, OrderType.Limit, TimeInForce.Ioc, Px49000, OneBtc, postOnly: true);
        await Expect(4, RejectReason.InvalidOrderType);
        c.SendNewOrder(5, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px49000, 20_000_000); // 2000 BTC > max_order_qty 1000
        await Expect(5, RejectReason.MaxQty);
        c.SendNewOrder(6, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 1_000_000, OneBtc); // 10000: outside the 10% band
        await Expect(6, RejectReason.PriceBand);
        c.SendNewOrder(7, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px49000, OneBtc);
        await c.ExpectAsync(MessageType.OrderAccepted);
        c.SendNewOrder(7, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px49000, OneBtc);
        await Expect(7, RejectReason.DuplicateId);
        c.SendReplace(8, OneBtc);
        await Expect(8, RejectReason.UnknownOrder);

        // An undefined enumerated value is a session-level reject (the session stays up).
        c.Send(new BinaryMessage { Type = MessageType.NewOrder, ClientOrderId = 9, Side = (Side)5, OrderType = OrderType.Limit, Tif = TimeInForce.Gtc,
            Price = Px49000, Quantity = OneBtc }, flush: true);
        var reject = await c.ExpectAsync(MessageType.SessionReject);
        Assert.Equal((MessageType.NewOrder, SessionRejectReason.InvalidField), (reject.RefType, (SessionRejectReason)reject.Reason));
        c.SendCancel(7);
        Assert.Equal(7ul, (await c.ExpectAsync(MessageType.Canceled)).ClientOrderId);
    }

    [Fact]
    public async Task An_account_order_placed_over_rest_can_be_adopted_by_exchange_id_and_canceled()
    {
        await using var s = await StartAsync();
        var placed = await s.SendJsonAsync(HttpMethod.Post, "/api/v1/orders", "A1",
            """{"symbol":"BTCUSD","side":"buy","type":"limit","price":"49000","qty":"1"}""");
        long id = placed.GetProperty("id").GetInt64();

        var c = await s.LoginAsync();
        c.SendCancel(55, orderId: id, instrument: Btc);
        var canceled = await c.ExpectAsync(MessageType.Canceled);
        Assert.Equal((55ul, id, OneBtc), (canceled.ClientOrderId, canceled.OrderId, canceled.Quantity));

        // Another account's order is not found.
        var other = await s.LoginAsync(KeyA2);
        c.SendNewOrder(56, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, Px49000, OneBtc);
        var mine = await c.ExpectAsync(MessageType.OrderAccepted);
        other.SendCancel(1, orderId: mine.OrderId, instrument: Btc);
        Assert.Equal(RejectReason.UnknownOrder, (RejectReason)(await other.ExpectAsync(MessageType.OrderRejected)).Reason);
    }
}
