using System.Buffers.Binary;

namespace Hft.MarketData;

/// <summary>
/// MoldUDP64-style packet framing, little-endian: a 20-byte header (10-byte session, the sequence number of the first
/// message, the message count) then each message as a 2-byte length and its bytes. A count of 0 is a heartbeat (its
/// sequence is the next one to be sent); <see cref="EndOfSession"/> ends the session.
/// </summary>
public static class MoldPacket
{
    public const int SessionOffset = 0;
    public const int SequenceOffset = 10;
    public const int CountOffset = 18;
    public const int HeaderSize = 20;
    public const int LengthPrefixSize = 2;

    /// <summary>The count of a heartbeat packet: no messages, the sequence is the next one.</summary>
    public const ushort Heartbeat = 0;

    /// <summary>The count of the end-of-session packet: the publisher stopped; its sequence is the next one that would have been sent.</summary>
    public const ushort EndOfSession = 0xFFFF;

    /// <summary>The smallest payload a publisher may be configured with: a header and the longest message.</summary>
    public const int MinPayload = HeaderSize + LengthPrefixSize + FeedLayout.MaxMessageSize;

    public static void WriteHeader(Span<byte> packet, in FeedSessionId session, long sequence, ushort count)
    {
        session.CopyTo(packet);
        BinaryPrimitives.WriteInt64LittleEndian(packet[SequenceOffset..], sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(packet[CountOffset..], count);
    }

    /// <summary>Reads a packet's header; false when it is shorter than one.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> packet, out FeedSessionId session, out long sequence, out ushort count)
    {
        if (packet.Length < HeaderSize)
        {
            session = default;
            sequence = 0;
            count = 0;
            return false;
        }
        session = FeedSessionId.Read(packet);
        sequence = BinaryPrimitives.ReadInt64LittleEndian(packet[SequenceOffset..]);
        count = BinaryPrimitives.ReadUInt16LittleEndian(packet[CountOffset..]);
        return true;
    }
}
