namespace Hft.MarketData.Tests;

/// <summary>Every message type survives encode → packet → decode, without allocating; broken input is refused.</summary>
public class FeedCodecRoundTripTests
{
    private static FeedMessage[] Samples()
    {
        var all = new[]
        {
            FeedMessage.AddOrder(0, 1, FeedSide.Buy, 4_900_000, 10),
            FeedMessage.ModifyOrder(1, 2, 4_900_500, 7),
            FeedMessage.DeleteOrder(65535, long.MaxValue),
            FeedMessage.Trade(1, 77, 5_000_000, 3, FeedSide.Sell, 12, 13),
            FeedMessage.InstrumentStatus(2, FeedTradingStatus.Halted),
        };
        for (int i = 0; i < all.Length; i++)
        {
            all[i].InstrumentSequence = 100 + i;
            all[i].Timestamp = 1_700_000_000_000_000_000 + i;
        }
        return all;
    }

    [Fact]
    public void Every_type_round_trips_through_a_packet()
    {
        var samples = Samples();
        var writer = new FeedPacketWriter(1400);
        Span<byte> one = stackalloc byte[FeedLayout.MaxMessageSize];
        for (int i = 0; i < samples.Length; i++) Assert.True(writer.TryAppend(one[..FeedCodec.Write(one, samples[i])], 50 + i));
        var session = FeedSessionId.From("TEST");
        var packet = writer.Complete(session);

        Assert.True(MoldPacket.TryReadHeader(packet, out var readSession, out long first, out ushort count));
        Assert.Equal(session, readSession);
        Assert.Equal("TEST      ", readSession.ToString());
        Assert.Equal((50L, (ushort)5), (first, count));
        var reader = new FeedPacketReader(packet[MoldPacket.HeaderSize..], count);
        int n = 0;
        while (reader.TryNext(out var m)) Assert.Equal(samples[n++], m);
        Assert.False(reader.Malformed);
        Assert.Equal(samples.Length, n);
    }

    [Fact]
    public void Encoding_and_decoding_allocate_nothing()
    {
        var samples = Samples();
        var writer = new FeedPacketWriter(1400);
        var session = FeedSessionId.From("ALLOC");
        var buffer = new byte[FeedLayout.MaxMessageSize];
        long decoded = 0;
        void RoundTrip()
        {
            writer.Reset();
            for (int i = 0; i < samples.Length; i++) writer.TryAppend(buffer.AsSpan(0, FeedCodec.Write(buffer, samples[i])), i + 1);
            var packet = writer.Complete(session);
            MoldPacket.TryReadHeader(packet, out _, out _, out ushort count);
            var reader = new FeedPacketReader(packet[MoldPacket.HeaderSize..], count);
            while (reader.TryNext(out var m)) decoded += m.InstrumentSequence;
        }
        RoundTrip(); // JIT and statics first
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) RoundTrip();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(decoded > 0);
    }

    [Fact]
    public void Broken_messages_are_refused()
    {
        var bytes = new byte[FeedLayout.AddOrderSize];
        FeedCodec.Write(bytes, FeedMessage.AddOrder(0, 1, FeedSide.Buy, 1, 1));
        Assert.True(FeedCodec.TryRead(bytes, out _));
        Assert.False(FeedCodec.TryRead(bytes.AsSpan(0, 44), out _)); // short for its type
        var other = (byte[])bytes.Clone();
        other[FeedLayout.VersionOffset] = 2;
        Assert.False(FeedCodec.TryRead(other, out _)); // another layout version
        other = (byte[])bytes.Clone();
        other[FeedLayout.TypeOffset] = (byte)'Q';
        Assert.False(FeedCodec.TryRead(other, out _)); // unknown type
        other = (byte[])bytes.Clone();
        other[FeedLayout.AddSideOffset] = 9;
        Assert.False(FeedCodec.TryRead(other, out _)); // no such side

        // a packet whose count promises more than it holds stops and says so
        var writer = new FeedPacketWriter(200);
        writer.TryAppend(bytes, 1);
        var packet = writer.Complete(FeedSessionId.From("X")).ToArray();
        var reader = new FeedPacketReader(packet.AsSpan(MoldPacket.HeaderSize), 2);
        Assert.True(reader.TryNext(out _));
        Assert.False(reader.TryNext(out _));
        Assert.True(reader.Malformed);
    }

    [Fact]
    public void A_packet_never_exceeds_its_payload()
    {
        var writer = new FeedPacketWriter(MoldPacket.MinPayload + 30);
        var bytes = new byte[FeedLayout.TradeSize];
        FeedCodec.Write(bytes, FeedMessage.Trade(0, 1, 1, 1, FeedSide.Buy, 1, 2));
        Assert.True(writer.TryAppend(bytes, 1));
        Assert.False(writer.TryAppend(bytes, 2));
        Assert.True(writer.Complete(FeedSessionId.From("X")).Length <= writer.Capacity);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeedPacketWriter(MoldPacket.MinPayload - 1));
    }
}
