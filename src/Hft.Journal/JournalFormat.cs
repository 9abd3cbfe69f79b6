using System.Buffers.Binary;

namespace Hft.Journal;

/// <summary>What a journal record holds. Written to disk: append only, never renumber (pinned by a test).</summary>
public enum RecordType : byte
{
    /// <summary>An order command as decided by the pipeline (payload: <see cref="CommandCodec"/>).</summary>
    Command = 1,

    /// <summary>An administrative change (payload: an operator record, encoded by Hft.Pipeline's <c>AdminRecord</c>).</summary>
    Admin = 2,
}

/// <summary>
/// The on-disk layout of journal segments, little-endian throughout.
/// <code>
/// segment header (32 bytes): magic "HFTJ" | u16 format version | u16 reserved | u64 first sequence | i64 created (unix ms) | u32 reserved | u32 crc32c of the first 28 bytes
/// record: u32 payload length | u32 crc32c (of everything after this field) | u64 sequence | i64 timestamp (unix µs) | u8 type | payload
/// </code>
/// Segments are named <c>journal-{first sequence:D20}.log</c> so that name order is sequence order.
/// </summary>
public static class JournalFormat
{
    public const uint Magic = 0x4A544648; // "HFTJ" little-endian
    public const ushort Version = 1;
    public const int SegmentHeaderSize = 32;
    public const int RecordHeaderSize = 4 + 4 + 8 + 8 + 1;

    /// <summary>Largest payload accepted; anything claiming more is corruption.</summary>
    public const int MaxPayload = 1 << 20;

    public const string SegmentPrefix = "journal-";
    public const string SegmentSuffix = ".log";

    public static string SegmentName(long firstSequence) => $"{SegmentPrefix}{firstSequence:D20}{SegmentSuffix}";

    public static bool TryParseSegmentName(string fileName, out long firstSequence)
    {
        firstSequence = 0;
        if (!fileName.StartsWith(SegmentPrefix, StringComparison.Ordinal) || !fileName.EndsWith(SegmentSuffix, StringComparison.Ordinal)) return false;
        var digits = fileName.AsSpan(SegmentPrefix.Length, fileName.Length - SegmentPrefix.Length - SegmentSuffix.Length);
        return digits.Length == 20 && long.TryParse(digits, System.Globalization.NumberStyles.None, null, out firstSequence);
    }

    public static void WriteSegmentHeader(Span<byte> dest, long firstSequence, long createdUnixMs)
    {
        dest[..SegmentHeaderSize].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(dest, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(dest[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(dest[8..], firstSequence);
        BinaryPrimitives.WriteInt64LittleEndian(dest[16..], createdUnixMs);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[28..], Crc32C.Compute(dest[..28]));
    }

    /// <summary>Checks a segment header; returns null when valid, else what is wrong.</summary>
    public static string? CheckSegmentHeader(ReadOnlySpan<byte> header, out long firstSequence)
    {
        firstSequence = 0;
        if (header.Length < SegmentHeaderSize) return "segment header truncated";
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic) return "not a journal segment (bad magic)";
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != Crc32C.Compute(header[..28])) return "segment header checksum mismatch";
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != Version) return $"unsupported journal format version {version} (this build reads {Version})";
        firstSequence = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        return null;
    }

    /// <summary>Writes one record (header + payload) into <paramref name="dest"/>; returns its size.</summary>
    public static int WriteRecord(Span<byte> dest, long sequence, long timestampMicros, RecordType type, ReadOnlySpan<byte> payload)
    {
        int size = RecordHeaderSize + payload.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(dest, (uint)payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(dest[8..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(dest[16..], timestampMicros);
        dest[24] = (byte)type;
        payload.CopyTo(dest[RecordHeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[4..], Crc32C.Compute(dest[8..size]));
        return size;
    }
}
