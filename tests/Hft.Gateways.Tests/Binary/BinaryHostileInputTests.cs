using System.Buffers.Binary;
using System.Text;
using Hft.Client;
using Hft.Core.Events;
using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Gateways.Tests.Support;
using static Hft.Gateways.Tests.Support.GatewayFixture;

namespace Hft.Gateways.Tests.Binary;

/// <summary>Protocol errors end the session cleanly with a Logout naming the reason; the server and other sessions carry on.</summary>
public class BinaryHostileInputTests
{
    private static byte[] Frame(MessageType type, uint sequence, int length)
    {
        var frame = new byte[length];
        BinaryPrimitives.WriteUInt16LittleEndian(frame, (ushort)length);
        frame[2] = (byte)type;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), sequence);
        return frame;
    }

    private static async Task AssertClosedWith(GatewayFixture s, BinaryClient client, DisconnectReason reason, string label)
    {
        Assert.Equal(reason, await client.ClosedAsync());
        Assert.Contains($"hft_gateway_disconnects_total{{protocol=\"binary\",reason=\"{label}\"}} 1", await s.MetricsAsync());
        // The gateway still serves others.
        var other = await s.LoginAsync(KeyA2);
        other.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
        await other.ExpectAsync(MessageType.OrderAccepted);
    }

    [Fact]
    public async Task Garbage_shorter_than_a_header_is_a_malformed_frame()
    {
        await using var s = await StartAsync();
        var c = await s.LoginAsync();
        c.SendRaw([5, 0, 1, 2, 3, 4, 5, 6]);
        await AssertClosedWith(s, c, DisconnectReason.MalformedFrame, "malformed_frame");
    }

    [Fact]
    public async Task Http_text_on_the_binary_port_is_an_oversized_frame_before_login()
    {
        await using var s = await StartAsync();
        var c = await s.ConnectAsync();
        c.SendRaw(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        await AssertClosedWith(s, c, DisconnectReason.OversizedFrame, "oversized_frame");
    }

    [Fact]
    public async Task A_length_above_the_maximum_frame_is_refused()
    {
        await using var s = await StartAsync();
        var c = await s.LoginAsync();
        var frame = Frame(MessageType.NewOrder, c.NextSequence, 48);
        BinaryPrimitives.WriteUInt16LittleEndian(frame, 60_000);
        c.SendRaw(frame);
        await AssertClosedWith(s, c, DisconnectReason.OversizedFrame, "oversized_frame");
    }

    [Fact]
    public async Task A_frame_cut_off_by_the_end_of_the_stream_is_a_truncated_frame()
    {
        await using var s = await StartAsync();
        var c = await s.LoginAsync();
        c.SendRaw(Frame(MessageType.NewOrder, c.NextSequence, 48).AsSpan(0, 20));
        c.ShutdownSend();
        await AssertClosedWith(s, c, DisconnectReason.TruncatedFrame, "truncated_frame");
    }

    [Fact]
    public async Task A_skipped_sequence_number_ends_the_session()
    {
        await using var s = await StartAsync();
        var c = await s.LoginAsync();
        c.SendRaw(Frame(MessageType.Heartbeat, c.NextSequence + 5, 8));
        await AssertClosedWith(s, c, DisconnectReason.BadSequence, "bad_sequence");
    }

    [Fact]
    public async Task An_order_before_login_is_refused()
    {
        await using var s = await StartAsync();
        var c = await s.ConnectAsync();
        c.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
        await AssertClosedWith(s, c, DisconnectReason.NotLoggedIn, "not_logged_in");
    }

    [Fact]
    public async Task An_undefined_message_type_ends_the_session()
    {
        await using var s = await StartAsync();
        var c = await s.LoginAsync();
        c.SendRaw(Frame((MessageType)0x7E, c.NextSequence, 16));
        await AssertClosedWith(s, c, DisconnectReason.UnknownMessageType, "unknown_message_type");
    }

    [Fact]
    public async Task A_known_type_with_the_wrong_length_is_malformed()
    {
        await using var s = await StartAsync();
        var c = await s.LoginAsync();
        c.SendRaw(Frame(MessageType.CancelOrder, c.NextSequence, 40));
        await AssertClosedWith(s, c, DisconnectReason.MalformedFrame, "malformed_frame");
    }

    [Fact]
    public async Task A_second_login_ends_the_session()
    {
        await using var s = await StartAsync();
        var c = await s.LoginAsync();
        Span<byte> login = stackalloc byte[64];
        int n = BinaryCodec.WriteLogin(BinaryProtocol.Version, AuthKind.ApiKey, "dev-key-A1"u8, c.NextSequence, login);
        c.SendRaw(login[..n]);
        await AssertClosedWith(s, c, DisconnectReason.UnexpectedLogin, "unexpected_login");
    }

    [Fact]
    public async Task A_logged_on_client_silent_for_three_heartbeat_intervals_is_disconnected()
    {
        // 1 s heartbeats: a 3 s timeout, and a live client heartbeating every 500 ms stays up unless the whole process
        // stalls for 2.5 s, far beyond what a busy 2-core machine does (100-250 ms intervals did flake there).
        await using var s = await StartAsync(c => c with { Gateway = c.Gateway with { BinaryHeartbeatMs = 1000 } });
        using var silent = await RawConnection.ConnectAsync(s.Port);
        Assert.Equal(MessageType.LoginAccepted, (await silent.LoginAsync(KeyA1)).Type);
        Assert.Equal(DisconnectReason.HeartbeatTimeout, await silent.ClosedAsync()); // heard ServerHeartbeats, answered none
        var live = await s.LoginAsync();
        await Task.Delay(3500); // past the 3 s timeout
        live.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
        await live.ExpectAsync(MessageType.OrderAccepted);
        Assert.False(live.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_flood_beyond_the_session_throttle_is_rejected_rate_limited_and_the_session_survives()
    {
        await using var s = await StartAsync(c => c with { Gateway = c.Gateway with { BinaryMaxMessagesPerSecond = 100 } });
        var c = await s.LoginAsync();
        const int flood = 200;
        for (ulong i = 1; i <= flood; i++)
            c.SendNewOrder(i, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10, flush: i == flood);
        int accepted = 0, limited = 0;
        for (int i = 0; i < flood; i++)
        {
            var m = await c.NextAsync();
            if (m.Type == MessageType.OrderAccepted) accepted++;
            else if (m.Type == MessageType.OrderRejected && (RejectReason)m.Reason == RejectReason.RateLimited) limited++;
        }
        Assert.Equal(flood, accepted + limited);
        Assert.InRange(accepted, 10, 40); // the burst (a tenth of a second's worth) plus what refilled meanwhile
        Assert.False(c.Closed.IsCompleted);
        c.SendMassCancel(1);
        for (int i = 0; i < accepted; i++) await c.ExpectAsync(MessageType.Canceled);
        Assert.Equal((uint)accepted, (await c.ExpectAsync(MessageType.MassCancelDone)).Count);
    }
}
