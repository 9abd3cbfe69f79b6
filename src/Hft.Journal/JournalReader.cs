using System.Buffers.Binary;

namespace Hft.Journal;

/// <summary>One record read back from the journal; the payload is valid during the callback only.</summary>
public readonly ref struct JournalRecord(long sequence, long timestampMicros, RecordType type, ReadOnlySpan<byte> payload, uint crc = 0)
{
    /// <summary>The record's CRC32C as stored (of sequence, timestamp, type and payload): its fingerprint.</summary>
    public uint Crc { get; } = crc;

    public long Sequence { get; } = sequence;
    public long TimestampMicros { get; } = timestampMicros;
    public RecordType Type { get; } = type;
    public ReadOnlySpan<byte> Payload { get; } = payload;
}

/// <summary>Corruption that recovery must not silently skip: names the file and byte offset.</summary>
public sealed class JournalCorruptException(string file, long offset, string problem)
    : Exception($"journal corrupt: {file} at offset {offset}: {problem}")
{
    public string File { get; } = file;
    public long Offset { get; } = offset;
    public string Problem { get; } = problem;
}

/// <summary>What reading the journal found and did.</summary>
public sealed record JournalReadResult(long RecordsRead, long RecordsDelivered, long LastSequence, int Segments, IReadOnlyList<string> Warnings)
{
    /// <summary>Sequence of the first record in the journal (0 when it holds none): segments may have been pruned.</summary>
    public long FirstRecordSequence { get; init; }

    /// <summary>Sequence of the last record in the journal (0 when it holds none), whatever <c>afterSequence</c> was.</summary>
    public long LastRecordSequence { get; init; }

    /// <summary>Segments skipped unread because a later segment starts at or before <c>afterSequence + 1</c> (all their records are covered).</summary>
    public int SegmentsSkipped { get; init; }
}

public delegate void JournalRecordHandler(in JournalRecord record);

/// <summary>
/// Reads every segment in sequence order, verifying headers, CRCs and sequence continuity. A torn record at the end of
/// the last segment (a crash mid-write) is truncated away with a warning. Anything else — a bad record with more
/// data after it, a bad header, a gap in sequences (a missing segment) — is corruption: reading stops with a
/// <see cref="JournalCorruptException"/> naming file and offset, unless <c>repair</c> is set, in which case the
/// journal is cut at the first bad byte (later segments are moved aside as <c>*.corrupt</c>) with a warning.
/// </summary>
public static class JournalReader
{
    public static IReadOnlyList<(string Path, long FirstSequence)> Segments(string dir)
    {
        var list = new List<(string, long)>();
        if (!Directory.Exists(dir)) return list;
        foreach (var path in Directory.EnumerateFiles(dir, JournalFormat.SegmentPrefix + "*" + JournalFormat.SegmentSuffix))
            if (JournalFormat.TryParseSegmentName(Path.GetFileName(path), out long first)) list.Add((path, first));
        list.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return list;
    }

    /// <summary>Delivers every record with sequence &gt; <paramref name="afterSequence"/>, in order.</summary>
    public static JournalReadResult Read(string dir, long afterSequence, bool repair, JournalRecordHandler handler)
    {
        var segments = Segments(dir);
        var warnings = new List<string>();
        long read = 0, delivered = 0, expected = -1, last = afterSequence, firstRecord = 0, lastRecord = 0;
        int skipped = 0;
        for (int s = 0; s < segments.Count; s++)
        {
            var (path, first) = segments[s];
            // Every record of this segment precedes the next segment's first: when that is covered (a snapshot), the
            // segment need not be read at all.
            if (s + 1 < segments.Count && segments[s + 1].FirstSequence <= afterSequence + 1 && (expected < 0 || first == expected))
            {
                if (firstRecord == 0 && segments[s + 1].FirstSequence > first) firstRecord = first;
                expected = segments[s + 1].FirstSequence;
                lastRecord = Math.Max(lastRecord, expected - 1);
                last = Math.Max(last, expected - 1);
                skipped++;
                continue;
            }
            bool lastSegment = s == segments.Count - 1;
            byte[] data = File.ReadAllBytes(path);
            string name = Path.GetFileName(path);
            string? headerProblem = JournalFormat.CheckSegmentHeader(data, out long headerFirst);
            if (headerProblem is null && headerFirst != first) headerProblem = $"header says first sequence {headerFirst}, name says {first}";
            if (headerProblem is not null)
            {
                if (lastSegment && data.Length < JournalFormat.SegmentHeaderSize)
                {
                    warnings.Add($"{name}: segment header torn ({data.Length} bytes); removed");
                    File.Delete(path);
                    break;
                }
                Corrupt(path, 0, headerProblem, repair, segments, s, warnings);
                break;
            }
            if (expected >= 0 && first != expected)
            {
                string problem = first > expected ? $"records {expected}..{first - 1} are missing (a segment is missing?)" : $"sequence {first} repeats";
                Corrupt(path, 0, problem, repair, segments, s, warnings);
                break;
            }
            long offset = JournalFormat.SegmentHeaderSize;
            bool stop = false;
            long nextSeq = first;
            while (offset < data.Length)
            {
                string? problem = TryRecord(data, offset, out int size, out long seq, out long ts, out RecordType type, out var payload, out uint crc);
                if (problem is null && seq != nextSeq) problem = $"sequence {seq} where {nextSeq} was expected";
                if (problem is not null)
                {
                    // Torn tail: the bad record is the last thing in the last segment. Its length field cannot be
                    // trusted to show that (one flipped bit there makes a record in the middle seem to run past the
                    // end), so a tail is torn only when no valid later record follows it either.
                    bool reachesEnd = size <= 0 || offset + size >= data.Length;
                    if (lastSegment && reachesEnd && !ValidRecordFollows(data, offset, nextSeq))
                    {
                        warnings.Add($"{name}: torn record at offset {offset} ({data.Length - offset} bytes, {problem}); truncated");
                        using (var f = new FileStream(path, FileMode.Open, FileAccess.Write)) f.SetLength(offset);
                    }
                    else
                    {
                        Corrupt(path, offset, problem, repair, segments, s, warnings);
                    }
                    stop = true;
                    break;
                }
                read++;
                if (firstRecord == 0) firstRecord = seq;
                lastRecord = seq;
                if (seq > afterSequence)
                {
                    handler(new JournalRecord(seq, ts, type, payload, crc));
                    delivered++;
                }
                last = Math.Max(last, seq);
                nextSeq = seq + 1;
                offset += size;
            }
            expected = nextSeq;
            if (stop) break;
        }
        return new JournalReadResult(read, delivered, last, segments.Count, warnings)
        {
            FirstRecordSequence = firstRecord, LastRecordSequence = lastRecord, SegmentsSkipped = skipped,
        };
    }

    /// <summary>
    /// Checks one segment's bytes without touching the file: header, every record's CRC and sequence continuity.
    /// Returns null when all is well, else the first problem (with its offset). <paramref name="validLength"/> is the
    /// end of the last good record (a copy cut there is a valid segment: how a backup copies the segment being written).
    /// </summary>
    public static string? ScanSegment(byte[] data, out long validLength, out long firstSequence, out long lastSequence, out long records)
    {
        validLength = 0;
        lastSequence = 0;
        records = 0;
        string? headerProblem = JournalFormat.CheckSegmentHeader(data, out firstSequence);
        if (headerProblem is not null) return headerProblem;
        long offset = JournalFormat.SegmentHeaderSize;
        validLength = offset;
        long next = firstSequence;
        lastSequence = firstSequence - 1;
        while (offset < data.Length)
        {
            string? problem = TryRecord(data, offset, out int size, out long seq, out _, out _, out _);
            if (problem is null && seq != next) problem = $"sequence {seq} where {next} was expected";
            if (problem is not null) return $"offset {offset}: {problem}";
            records++;
            lastSequence = seq;
            next = seq + 1;
            offset += size;
            validLength = offset;
        }
        return null;
    }

    /// <summary>Byte offset of the record with <paramref name="sequence"/> in a segment's bytes; -1 when the segment does not hold it intact.</summary>
    public static long RecordOffset(byte[] data, long sequence)
    {
        long offset = JournalFormat.SegmentHeaderSize;
        while (offset < data.Length)
        {
            if (TryRecord(data, offset, out int size, out long seq, out _, out _, out _) is not null) return -1;
            if (seq == sequence) return offset;
            if (seq > sequence) return -1;
            offset += size;
        }
        return -1;
    }

    /// <summary>Whether a record that checks out (CRC, type) with a later sequence starts anywhere after <paramref name="offset"/>.</summary>
    private static bool ValidRecordFollows(byte[] data, long offset, long nextSeq)
    {
        long maxSeq = nextSeq + (data.Length - offset) / JournalFormat.RecordHeaderSize;
        for (long at = offset + 1; at + JournalFormat.RecordHeaderSize <= data.Length; at++)
        {
            long seq = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan((int)at + 8));
            if (seq < nextSeq || seq > maxSeq) continue;
            if (TryRecord(data, at, out _, out _, out _, out _, out _) is null) return true;
        }
        return false;
    }

    /// <summary>
    /// Reads records in the on-disk format from memory (a replicated batch: <see cref="JournalWriter"/> hands whole
    /// group-commit batches to its replicator), checking each CRC and that sequences run without a gap. Returns null
    /// when every record was delivered, else the problem (nothing after it is delivered).
    /// </summary>
    public static string? ReadBatch(ReadOnlySpan<byte> records, JournalRecordHandler handler)
    {
        int offset = 0;
        long next = -1;
        while (offset < records.Length)
        {
            string? problem = TryRecord(records[offset..], out int size, out long seq, out long ts, out RecordType type, out var payload, out uint crc);
            if (problem is null && next >= 0 && seq != next) problem = $"sequence {seq} where {next} was expected";
            if (problem is not null) return $"batch offset {offset}: {problem}";
            handler(new JournalRecord(seq, ts, type, payload, crc));
            next = seq + 1;
            offset += size;
        }
        return null;
    }

    private static string? TryRecord(byte[] data, long offset, out int size, out long seq, out long ts, out RecordType type, out ReadOnlySpan<byte> payload)
        => TryRecord(data.AsSpan((int)offset), out size, out seq, out ts, out type, out payload, out _);

    private static string? TryRecord(byte[] data, long offset, out int size, out long seq, out long ts, out RecordType type, out ReadOnlySpan<byte> payload,
        out uint crc)
        => TryRecord(data.AsSpan((int)offset), out size, out seq, out ts, out type, out payload, out crc);

    private static string? TryRecord(ReadOnlySpan<byte> rest, out int size, out long seq, out long ts, out RecordType type, out ReadOnlySpan<byte> payload,
        out uint crc)
    {
        size = 0;
        seq = ts = 0;
        type = 0;
        payload = default;
        crc = 0;
        if (rest.Length < JournalFormat.RecordHeaderSize) return "record header truncated";
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        if (length > JournalFormat.MaxPayload) return $"record length {length} exceeds the maximum";
        size = JournalFormat.RecordHeaderSize + (int)length;
        if (rest.Length < size) return "record truncated";
        crc = BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]);
        if (Crc32C.Compute(rest[8..size]) != crc) return "checksum mismatch";
        seq = BinaryPrimitives.ReadInt64LittleEndian(rest[8..]);
        ts = BinaryPrimitives.ReadInt64LittleEndian(rest[16..]);
        type = (RecordType)rest[24];
        payload = rest[JournalFormat.RecordHeaderSize..size];
        return type is RecordType.Command or RecordType.Admin ? null : $"unknown record type {(byte)type}";
    }

    private static void Corrupt(string path, long offset, string problem, bool repair, IReadOnlyList<(string Path, long First)> segments,
        int index, List<string> warnings)
    {
        if (!repair) throw new JournalCorruptException(path, offset, problem);
        warnings.Add($"repair: {Path.GetFileName(path)} at offset {offset}: {problem}; journal cut here");
        if (offset <= JournalFormat.SegmentHeaderSize && offset == 0) File.Move(path, path + ".corrupt", overwrite: true);
        else using (var f = new FileStream(path, FileMode.Open, FileAccess.Write)) f.SetLength(offset);
        for (int later = index + 1; later < segments.Count; later++)
        {
            File.Move(segments[later].Path, segments[later].Path + ".corrupt", overwrite: true);
            warnings.Add($"repair: {Path.GetFileName(segments[later].Path)} moved aside as .corrupt");
        }
    }
}
