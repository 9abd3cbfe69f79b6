using System.Buffers.Binary;

namespace Hft.Journal.Stream;

/// <summary>What a frame of the journal stream carries. On the wire: append only, never renumber (pinned by a test).</summary>
public enum JournalFrameKind : byte
{
    /// <summary>Whole committed journal records, in the on-disk record format, in sequence order without a gap.</summary>
    Records = 1,

    /// <summary>No records: the source is alive and this is how far its committed journal goes.</summary>
    Heartbeat = 2,
}

/// <summary>
/// The journal stream a group member serves to disaster-recovery replicas (<c>GET /replication/journal?after=N</c>, the
/// body of a 200 answer), little-endian throughout:
/// <code>
/// frame: u8 kind | u32 payload length | i64 source committed sequence | i64 source clock (unix µs) | payload
/// </code>
/// A records frame's payload is whole records exactly as in a segment (each with its CRC), the first one after
/// <c>N</c> (or after the previous frame's last); a heartbeat's is empty. Every frame says how far the source's
/// committed journal went when it was sent, so the replica knows its lag in records even while nothing flows.
/// </summary>
public static class JournalStreamFormat
{
    /// <summary>Media type of the stream (a refusal is the API's JSON error instead).</summary>
    public const string MediaType = "application/vnd.hft.journal-stream";

    public const int FrameHeaderSize = 1 + 4 + 8 + 8;

    /// <summary>Records per frame are cut at this many bytes (a single record larger than it travels alone).</summary>
    public const int TargetFrameBytes = 256 * 1024;

    /// <summary>Largest payload a reader accepts: one largest record, or a frame of records cut at <see cref="TargetFrameBytes"/>.</summary>
    public const int MaxFramePayload = JournalFormat.MaxPayload + JournalFormat.RecordHeaderSize + TargetFrameBytes;

    public static void WriteHeader(Span<byte> dest, JournalFrameKind kind, int payloadLength, long sourceSequence, long sourceUnixMicros)
    {
        dest[0] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(dest[1..], payloadLength);
        BinaryPrimitives.WriteInt64LittleEndian(dest[5..], sourceSequence);
        BinaryPrimitives.WriteInt64LittleEndian(dest[13..], sourceUnixMicros);
    }

    /// <summary>Reads a frame header; null when it is valid, else what is wrong (the stream cannot be trusted after it).</summary>
    public static string? TryReadHeader(ReadOnlySpan<byte> header, out JournalFrameKind kind, out int payloadLength, out long sourceSequence,
        out long sourceUnixMicros)
    {
        kind = (JournalFrameKind)header[0];
        payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header[1..]);
        sourceSequence = BinaryPrimitives.ReadInt64LittleEndian(header[5..]);
        sourceUnixMicros = BinaryPrimitives.ReadInt64LittleEndian(header[13..]);
        if (kind is not (JournalFrameKind.Records or JournalFrameKind.Heartbeat)) return $"unknown frame kind {(byte)kind}";
        if (payloadLength < 0 || payloadLength > MaxFramePayload) return $"frame length {payloadLength} outside 0..{MaxFramePayload}";
        if (kind == JournalFrameKind.Heartbeat && payloadLength != 0) return "a heartbeat frame carries no payload";
        if (kind == JournalFrameKind.Records && payloadLength == 0) return "an empty records frame";
        if (sourceSequence < 0) return $"negative source sequence {sourceSequence}";
        return null;
    }
}
