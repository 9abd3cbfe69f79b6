using System.Buffers.Binary;

namespace Hft.Server.MarketData;

/// <summary>
/// One complete, unfragmented RFC 6455 text frame as the server sends it: header and payload in one array, built once
/// per message. Server frames are never masked, so the same bytes go to every subscriber: connections queue a reference
/// and never copy or re-frame it. Immutable once built.
/// </summary>
public readonly struct WsFrame
{
    private const byte FinText = 0x81;

    private readonly byte[] _bytes;

    private WsFrame(byte[] bytes) => _bytes = bytes;

    /// <summary>Header and payload, ready for the wire.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The message (the JSON text) without the frame header.</summary>
    public ReadOnlyMemory<byte> Payload => _bytes.AsMemory(HeaderLength(_bytes[1]));

    public int Length => _bytes.Length;

    public int PayloadLength => _bytes.Length - HeaderLength(_bytes[1]);

    public bool IsEmpty => _bytes is null;

    /// <summary>Frames <paramref name="payload"/> as one final text frame (the one allocation per message).</summary>
    public static WsFrame Text(ReadOnlySpan<byte> payload)
    {
        int header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var bytes = new byte[header + payload.Length];
        bytes[0] = FinText;
        if (header == 2) bytes[1] = (byte)payload.Length;
        else if (header == 4)
        {
            bytes[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            bytes[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(2), (ulong)payload.Length);
        }
        payload.CopyTo(bytes.AsSpan(header));
        return new WsFrame(bytes);
    }

    private static int HeaderLength(byte lengthByte) => lengthByte switch { < 126 => 2, 126 => 4, _ => 10 };
}
