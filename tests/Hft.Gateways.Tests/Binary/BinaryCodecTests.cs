using System.Text;
using Hft.Core.Orders;
using Hft.Gateways.Binary;

namespace Hft.Gateways.Tests.Binary;

public class BinaryCodecTests
{
    private static BinaryMessage Sample(MessageType type) => new()
    {
        Type = type, ClientOrderId = 0xFEDCBA9876543210, OrderId = 123_456_789_012, ExecId = 77, Price = 5_000_012, Quantity = 10_001, Leaves = 42,
        Instrument = 1, Side = Side.Sell, OrderType = OrderType.Limit, Tif = TimeInForce.Ioc, Stp = SelfTradePrevention.CancelBoth,
        Flags = 1, Reason = 9, Op = 3, Liquidity = Liquidity.Maker, Count = 4, Version = 1, HeartbeatMs = 1000, MaxRate = 250_000,
        RefSequence = 17, RefType = MessageType.NewOrder, TriggerPrice = 4_900_000, DisplayQuantity = 500, ExpireTime = 1_767_225_640_000_000_000,
    };

    [Fact]
    public void Every_fixed_message_round_trips_with_the_fields_its_layout_carries()
    {
        Span<byte> buffer = stackalloc byte[128];
        Span<byte> again = stackalloc byte[128];
        foreach (var type in Enum.GetValues<MessageType>())
        {
            if (type == MessageType.Login) continue;
            var m = Sample(type);
            int n = BinaryCodec.Write(in m, 99, buffer);
            Assert.Equal(BinaryCodec.FrameSize(type), n);
            Assert.Equal(FrameStatus.Complete, BinaryCodec.TryReadFrameLength(buffer[..n], BinaryProtocol.MaxFrameSize, out int length));
            Assert.Equal(n, length);
            Assert.True(BinaryCodec.TryRead(buffer[..n], out var back), type.ToString());
            Assert.Equal(type, back.Type);
            Assert.Equal(99u, back.Sequence);
            // Re-encoding what was read gives the same bytes: nothing the layout carries is lost.
            Assert.Equal(n, BinaryCodec.Write(in back, 99, again));
            Assert.True(buffer[..n].SequenceEqual(again[..n]), type.ToString());
        }
    }

    [Fact]
    public void A_new_order_keeps_every_field()
    {
        Span<byte> buffer = stackalloc byte[64];
        var m = Sample(MessageType.NewOrder);
        int n = BinaryCodec.Write(in m, 5, buffer);
        Assert.True(BinaryCodec.TryRead(buffer[..n], out var b));
        Assert.Equal((m.ClientOrderId, m.Price, m.Quantity, m.Instrument, m.Side, m.OrderType, m.Tif, m.Stp, m.Flags),
            (b.ClientOrderId, b.Price, b.Quantity, b.Instrument, b.Side, b.OrderType, b.Tif, b.Stp, b.Flags));
        // Little-endian length first, then the type code.
        Assert.Equal([48, 0, 0x10, 0, 5, 0, 0, 0], buffer[..8].ToArray());
    }

    [Fact]
    public void A_version_2_new_order_keeps_the_new_order_layout_and_adds_trigger_display_and_expiry()
    {
        Span<byte> buffer = stackalloc byte[BinaryProtocol.MaxFixedMessageSize];
        var m = Sample(MessageType.NewOrderV2) with { OrderType = OrderType.StopLimit, Tif = TimeInForce.Gtd };
        int n = BinaryCodec.Write(in m, 5, buffer);
        Assert.Equal(72, n);
        Assert.True(BinaryCodec.TryRead(buffer[..n], out var b));
        Assert.Equal((m.ClientOrderId, m.Price, m.Quantity, m.Instrument, m.Side, m.OrderType, m.Tif, m.Stp, m.Flags),
            (b.ClientOrderId, b.Price, b.Quantity, b.Instrument, b.Side, b.OrderType, b.Tif, b.Stp, b.Flags));
        Assert.Equal((m.TriggerPrice, m.DisplayQuantity, m.ExpireTime), (b.TriggerPrice, b.DisplayQuantity, b.ExpireTime));
        // The first 48 bytes are a NewOrder's but for the type code; the terms follow at 48, 56 and 64.
        Span<byte> v1 = stackalloc byte[48];
        BinaryCodec.Write(Sample(MessageType.NewOrder) with { OrderType = OrderType.StopLimit, Tif = TimeInForce.Gtd }, 5, v1);
        Assert.True(buffer[3..48].SequenceEqual(v1[3..]));
        Assert.Equal(m.TriggerPrice, BitConverter.ToInt64(buffer[48..]));
        Assert.Equal(m.DisplayQuantity, BitConverter.ToInt64(buffer[56..]));
        Assert.Equal(m.ExpireTime, BitConverter.ToInt64(buffer[64..]));
    }

    [Theory]
    [InlineData(MessageType.ReplaceOrderV2, MessageType.ReplaceOrder)]
    [InlineData(MessageType.ReplacedV2, MessageType.Replaced)]
    [InlineData(MessageType.Refreshed, MessageType.Triggered)]
    public void A_version_2_message_is_its_48_byte_version_1_layout_and_one_field_at_48(MessageType v2, MessageType v1)
    {
        Span<byte> buffer = stackalloc byte[BinaryProtocol.MaxFixedMessageSize];
        Span<byte> older = stackalloc byte[48];
        Assert.Equal(56, BinaryCodec.Write(Sample(v2), 5, buffer));
        Assert.Equal(48, BinaryCodec.Write(Sample(v1), 5, older));
        Assert.True(buffer[3..48].SequenceEqual(older[3..]), "bytes 3 to 47 as the version 1 layout");
        var sample = Sample(v2);
        long added = v2 == MessageType.Refreshed ? sample.Leaves : sample.TriggerPrice;
        Assert.Equal(added, BitConverter.ToInt64(buffer[48..]));
    }

    [Fact]
    public void A_fill_keeps_every_field()
    {
        Span<byte> buffer = stackalloc byte[64];
        var m = Sample(MessageType.Fill);
        int n = BinaryCodec.Write(in m, 1, buffer);
        Assert.True(BinaryCodec.TryRead(buffer[..n], out var b));
        Assert.Equal((m.ClientOrderId, m.OrderId, m.ExecId, m.Price, m.Quantity, m.Leaves, m.Instrument, m.Side, m.Liquidity),
            (b.ClientOrderId, b.OrderId, b.ExecId, b.Price, b.Quantity, b.Leaves, b.Instrument, b.Side, b.Liquidity));
    }

    [Fact]
    public void Login_round_trips_its_credential()
    {
        Span<byte> buffer = stackalloc byte[256];
        int n = BinaryCodec.WriteLogin(1, AuthKind.Jwt, "abc.def.ghi"u8, 1, buffer);
        Assert.Equal(16 + 11, n);
        Assert.True(BinaryCodec.TryReadLogin(buffer[..n], out ushort version, out var kind, out var credential));
        Assert.Equal((1, AuthKind.Jwt, "abc.def.ghi"), (version, kind, Encoding.ASCII.GetString(credential)));
        Assert.False(BinaryCodec.TryReadLogin(buffer[..(n - 1)], out _, out _, out _)); // declared length disagrees
        Assert.Equal(0, BinaryCodec.WriteLogin(1, AuthKind.ApiKey, [], 1, buffer));
    }

    [Fact]
    public void Bad_lengths_and_sizes_are_refused_without_throwing()
    {
        Assert.Equal(FrameStatus.Incomplete, BinaryCodec.TryReadFrameLength([48], 2048, out _));
        Assert.Equal(FrameStatus.Malformed, BinaryCodec.TryReadFrameLength([3, 0, 1, 0], 2048, out _));
        Assert.Equal(FrameStatus.Oversized, BinaryCodec.TryReadFrameLength([0xFF, 0xFF, 1, 0], 2048, out _));
        Assert.Equal(FrameStatus.Incomplete, BinaryCodec.TryReadFrameLength([48, 0, 0x10, 0, 1, 0, 0, 0], 2048, out _));
        Span<byte> buffer = stackalloc byte[64];
        var m = Sample(MessageType.CancelOrder);
        int n = BinaryCodec.Write(in m, 1, buffer);
        buffer[0] = (byte)(n + 8); // a cancel claiming a longer body
        Assert.False(BinaryCodec.TryRead(buffer[..(n + 8)], out _));
        buffer[0] = (byte)n;
        buffer[2] = 0x7F; // undefined type
        Assert.False(BinaryCodec.TryRead(buffer[..n], out _));
        Assert.Equal(0, BinaryCodec.Write(in m, 1, buffer[..10])); // destination too small
    }

    [Fact]
    public void Encoding_and_decoding_the_order_path_allocates_nothing()
    {
        var buffer = new byte[256];
        var order = Sample(MessageType.NewOrder);
        var fill = Sample(MessageType.Fill);
        var accepted = Sample(MessageType.OrderAccepted);
        long checksum = 0;
        for (int i = 0; i < 1000; i++) checksum += RoundTrip(buffer, in order, in fill, in accepted, (uint)i); // warm up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++) checksum += RoundTrip(buffer, in order, in fill, in accepted, (uint)i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    private static long RoundTrip(byte[] buffer, in BinaryMessage order, in BinaryMessage fill, in BinaryMessage accepted, uint seq)
    {
        var span = buffer.AsSpan();
        int n = BinaryCodec.Write(in order, seq, span);
        n += BinaryCodec.Write(in accepted, seq + 1, span[n..]);
        n += BinaryCodec.Write(in fill, seq + 2, span[n..]);
        long sum = 0;
        int at = 0;
        while (at < n && BinaryCodec.TryReadFrameLength(span[at..n], BinaryProtocol.MaxFrameSize, out int length) == FrameStatus.Complete)
        {
            BinaryCodec.TryRead(span.Slice(at, length), out var m);
            sum += m.Price + m.Sequence;
            at += length;
        }
        return sum;
    }
}
