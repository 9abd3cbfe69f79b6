using System.Buffers.Binary;

namespace Hft.MarketData;

/// <summary>Frame kinds of the TCP recovery service (docs/protocol/marketdata.md). Append only, never renumber (pinned).</summary>
public enum RecoveryFrameType : byte
{
    // ---- client → server ----
    /// <summary>Retransmit: first sequence (8), message count (4).</summary>
    RetransmitRequest = (byte)'R',

    /// <summary>Snapshot of every book and status, stamped with the sequence it reflects: no body.</summary>
    SnapshotRequest = (byte)'S',

    // ---- server → client ----
    /// <summary>A packet exactly as sent over UDP (a retransmission).</summary>
    Packet = (byte)'P',

    /// <summary>The end of a retransmission: the sequence after the last message sent (8).</summary>
    RetransmitDone = (byte)'Z',

    /// <summary>A snapshot starts: session (10), the sequence it reflects (8), messages to follow (4).</summary>
    SnapshotBegin = (byte)'B',

    /// <summary>Snapshot messages (AddOrder, InstrumentStatus): count (2) then length-prefixed messages.</summary>
    SnapshotMessages = (byte)'M',

    /// <summary>The snapshot is complete: the sequence it reflects (8).</summary>
    SnapshotEnd = (byte)'F',

    /// <summary>A refused request: <see cref="RecoveryError"/> (1) and a value that explains it (8).</summary>
    Error = (byte)'E',
}

/// <summary>Why the recovery service refused a request. Append only, never renumber (pinned).</summary>
public enum RecoveryError : byte
{
    /// <summary>The range starts before the oldest message still held (value: that oldest sequence): ask for a snapshot.</summary>
    NotAvailable = 1,

    /// <summary>More messages than one request may ask for (value: the limit). The connection stays open.</summary>
    RangeTooLarge = 2,

    /// <summary>Unknown frame type, wrong body size, or a sequence below 1 (value: 0). The connection is closed.</summary>
    Malformed = 3,

    /// <summary>The range starts after the last message sent (value: the last sequence). The connection stays open.</summary>
    BeyondEnd = 4,

    /// <summary>The service already serves its maximum of clients (value: the limit). The connection is closed.</summary>
    TooManyClients = 5,

    /// <summary>No request within the idle timeout (value: the timeout in seconds). The connection is closed.</summary>
    IdleTimeout = 6,

    /// <summary>A frame longer than any request (value: the largest request size). The connection is closed.</summary>
    Oversized = 7,
}

/// <summary>
/// Frames of the recovery service: a 2-byte little-endian length (of what follows), a 1-byte <see cref="RecoveryFrameType"/>,
/// the body. Requests are at most <see cref="MaxRequestFrame"/> bytes.
/// </summary>
public static class RecoveryProtocol
{
    public const int LengthSize = 2;
    public const int RetransmitRequestSize = LengthSize + 1 + 8 + 4;
    public const int SnapshotRequestSize = LengthSize + 1;
    public const int ErrorSize = LengthSize + 1 + 1 + 8;
    public const int SequenceFrameSize = LengthSize + 1 + 8;
    public const int SnapshotBeginSize = LengthSize + 1 + FeedSessionId.Size + 8 + 4;

    /// <summary>The largest request frame (length prefix included); a longer length prefix is refused as oversized.</summary>
    public const int MaxRequestFrame = RetransmitRequestSize;

    public static int WriteRetransmitRequest(Span<byte> d, long first, int count)
    {
        Begin(d, RetransmitRequestSize, RecoveryFrameType.RetransmitRequest);
        BinaryPrimitives.WriteInt64LittleEndian(d[3..], first);
        BinaryPrimitives.WriteInt32LittleEndian(d[11..], count);
        return RetransmitRequestSize;
    }

    public static int WriteSnapshotRequest(Span<byte> d)
    {
        Begin(d, SnapshotRequestSize, RecoveryFrameType.SnapshotRequest);
        return SnapshotRequestSize;
    }

    public static int WriteError(Span<byte> d, RecoveryError error, long value)
    {
        Begin(d, ErrorSize, RecoveryFrameType.Error);
        d[3] = (byte)error;
        BinaryPrimitives.WriteInt64LittleEndian(d[4..], value);
        return ErrorSize;
    }

    /// <summary>RetransmitDone or SnapshotEnd: a frame that carries one sequence.</summary>
    public static int WriteSequenceFrame(Span<byte> d, RecoveryFrameType type, long sequence)
    {
        Begin(d, SequenceFrameSize, type);
        BinaryPrimitives.WriteInt64LittleEndian(d[3..], sequence);
        return SequenceFrameSize;
    }

    public static int WriteSnapshotBegin(Span<byte> d, in FeedSessionId session, long sequence, int messages)
    {
        Begin(d, SnapshotBeginSize, RecoveryFrameType.SnapshotBegin);
        session.CopyTo(d[3..]);
        BinaryPrimitives.WriteInt64LittleEndian(d[13..], sequence);
        BinaryPrimitives.WriteInt32LittleEndian(d[21..], messages);
        return SnapshotBeginSize;
    }

    /// <summary>The 3-byte head of a frame whose body (after the type) is <paramref name="bodyLength"/> bytes.</summary>
    public static void WriteHead(Span<byte> d, RecoveryFrameType type, int bodyLength)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(d, checked((ushort)(1 + bodyLength)));
        d[2] = (byte)type;
    }

    private static void Begin(Span<byte> d, int frameSize, RecoveryFrameType type) => WriteHead(d, type, frameSize - LengthSize - 1);

    /// <summary>The length prefix: bytes after it (type and body).</summary>
    public static int ReadLength(ReadOnlySpan<byte> d) => BinaryPrimitives.ReadUInt16LittleEndian(d);

    public static long ReadSequence(ReadOnlySpan<byte> body) => BinaryPrimitives.ReadInt64LittleEndian(body);

    public static int ReadInt32(ReadOnlySpan<byte> body) => BinaryPrimitives.ReadInt32LittleEndian(body);
}
