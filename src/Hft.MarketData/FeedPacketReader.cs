using System.Buffers.Binary;

namespace Hft.MarketData;

/// <summary>
/// Walks the messages of one packet (or of a snapshot frame's message blocks): <c>while (reader.TryNext(out var m))</c>.
/// Stops at the first block that does not decode; <see cref="Malformed"/> then says so.
/// </summary>
public ref struct FeedPacketReader
{
    private ReadOnlySpan<byte> _rest;
    private int _left;

    /// <summary>Reads the message blocks after a packet header (<paramref name="blocks"/> starts at the first length prefix).</summary>
    public FeedPacketReader(ReadOnlySpan<byte> blocks, int count)
    {
        _rest = blocks;
        _left = count;
    }

    public bool Malformed { get; private set; }

    public bool TryNext(out FeedMessage message)
    {
        message = default;
        if (_left <= 0) return false;
        if (_rest.Length < MoldPacket.LengthPrefixSize) return Fail();
        int length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (_rest.Length < MoldPacket.LengthPrefixSize + length || !FeedCodec.TryRead(_rest.Slice(MoldPacket.LengthPrefixSize, length), out message)) return Fail();
        _rest = _rest[(MoldPacket.LengthPrefixSize + length)..];
        _left--;
        return true;
    }

    private bool Fail()
    {
        Malformed = true;
        _left = 0;
        return false;
    }
}
