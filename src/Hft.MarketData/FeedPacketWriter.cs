using System.Buffers.Binary;

namespace Hft.MarketData;

/// <summary>
/// Batches sequenced messages into one packet of at most <see cref="Capacity"/> bytes (the configured MTU payload).
/// Reused packet after packet: no allocation after construction.
/// </summary>
public sealed class FeedPacketWriter
{
    private readonly byte[] _buffer;
    private int _length = MoldPacket.HeaderSize;
    private ushort _count;
    private long _first;

    public FeedPacketWriter(int capacity)
    {
        if (capacity < MoldPacket.MinPayload) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"a packet holds at least {MoldPacket.MinPayload} bytes");
        _buffer = new byte[capacity];
    }

    public int Capacity => _buffer.Length;

    public int Count => _count;

    public bool IsEmpty => _count == 0;

    /// <summary>Whether a message of <paramref name="size"/> bytes still fits.</summary>
    public bool Fits(int size) => _length + MoldPacket.LengthPrefixSize + size <= _buffer.Length && _count < MoldPacket.EndOfSession - 1;

    /// <summary>Appends encoded message bytes with stream sequence <paramref name="sequence"/> (the first one sets the packet's).</summary>
    public bool TryAppend(ReadOnlySpan<byte> message, long sequence)
    {
        if (!Fits(message.Length)) return false;
        if (_count == 0) _first = sequence;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_length), (ushort)message.Length);
        message.CopyTo(_buffer.AsSpan(_length + MoldPacket.LengthPrefixSize));
        _length += MoldPacket.LengthPrefixSize + message.Length;
        _count++;
        return true;
    }

    /// <summary>The finished packet (header written); valid until the next <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Complete(in FeedSessionId session)
    {
        MoldPacket.WriteHeader(_buffer, session, _first, _count);
        return _buffer.AsSpan(0, _length);
    }

    /// <summary>The finished packet as memory (for socket sends that take it).</summary>
    public ReadOnlyMemory<byte> CompleteMemory(in FeedSessionId session)
    {
        Complete(session);
        return _buffer.AsMemory(0, _length);
    }

    public void Reset()
    {
        _length = MoldPacket.HeaderSize;
        _count = 0;
        _first = 0;
    }
}
