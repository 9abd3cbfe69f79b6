namespace Hft.MarketData.Tests;

/// <summary>Wire codes and sizes of the binary market-data feed never change meaning: every one pinned.</summary>
public class FeedCodeStabilityTests
{
    [Fact]
    public void Message_type_codes_and_sizes_are_pinned()
    {
        var expected = new Dictionary<FeedMessageType, (byte Code, int Size)>
        {
            [FeedMessageType.AddOrder] = (0x41, 45), [FeedMessageType.ModifyOrder] = (0x55, 44), [FeedMessageType.DeleteOrder] = (0x44, 28),
            [FeedMessageType.Trade] = (0x54, 61), [FeedMessageType.InstrumentStatus] = (0x53, 21),
        };
        Assert.Equal(expected.Count, Enum.GetValues<FeedMessageType>().Length);
        foreach (var (type, pinned) in expected)
        {
            Assert.Equal(pinned.Code, (byte)type);
            Assert.Equal(pinned.Size, FeedLayout.SizeOf(type));
        }
        Assert.Equal(1, FeedLayout.Version);
        Assert.Equal(20, FeedLayout.HeaderSize);
    }

    [Fact]
    public void Field_codes_and_packet_framing_are_pinned()
    {
        Assert.Equal([1, 2], Enum.GetValues<FeedSide>().Select(s => (int)s));
        Assert.Equal([1, 2], Enum.GetValues<FeedTradingStatus>().Select(s => (int)s));
        Assert.Equal((0, 10, 18, 20), (MoldPacket.SessionOffset, MoldPacket.SequenceOffset, MoldPacket.CountOffset, MoldPacket.HeaderSize));
        Assert.Equal(0, MoldPacket.Heartbeat);
        Assert.Equal(0xFFFF, MoldPacket.EndOfSession);
    }

    [Fact]
    public void Recovery_codes_are_pinned()
    {
        var frames = new Dictionary<RecoveryFrameType, char>
        {
            [RecoveryFrameType.RetransmitRequest] = 'R', [RecoveryFrameType.SnapshotRequest] = 'S', [RecoveryFrameType.Packet] = 'P',
            [RecoveryFrameType.RetransmitDone] = 'Z', [RecoveryFrameType.SnapshotBegin] = 'B', [RecoveryFrameType.SnapshotMessages] = 'M',
            [RecoveryFrameType.SnapshotEnd] = 'F', [RecoveryFrameType.Error] = 'E',
        };
        Assert.Equal(frames.Count, Enum.GetValues<RecoveryFrameType>().Length);
        foreach (var (type, code) in frames) Assert.Equal((byte)code, (byte)type);
        Assert.Equal([RecoveryError.NotAvailable, RecoveryError.RangeTooLarge, RecoveryError.Malformed, RecoveryError.BeyondEnd,
            RecoveryError.TooManyClients, RecoveryError.IdleTimeout, RecoveryError.Oversized], Enum.GetValues<RecoveryError>());
        Assert.Equal(Enumerable.Range(1, 7), Enum.GetValues<RecoveryError>().Select(e => (int)e));
        Assert.Equal((15, 3, 12, 11, 25), (RecoveryProtocol.RetransmitRequestSize, RecoveryProtocol.SnapshotRequestSize, RecoveryProtocol.ErrorSize,
            RecoveryProtocol.SequenceFrameSize, RecoveryProtocol.SnapshotBeginSize));
    }

    [Fact]
    public void An_add_order_has_the_documented_bytes()
    {
        var m = FeedMessage.AddOrder(3, 0x0102030405060708, FeedSide.Sell, 5_000_000, 25);
        m.InstrumentSequence = 9;
        m.Timestamp = 0x1122334455667788;
        var bytes = new byte[FeedLayout.AddOrderSize];
        Assert.Equal(45, FeedCodec.Write(bytes, m));
        Assert.Equal(
            "41 01 03 00 09 00 00 00 00 00 00 00 88 77 66 55 44 33 22 11 08 07 06 05 04 03 02 01 02 40 4B 4C 00 00 00 00 00 19 00 00 00 00 00 00 00",
            BitConverter.ToString(bytes).Replace('-', ' '));
    }
}
