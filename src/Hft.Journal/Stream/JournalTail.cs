using System.Buffers.Binary;

namespace Hft.Journal.Stream;

/// <summary>
/// The journal's committed records are no longer on this node from the sequence asked for (a fresh replica, or segments
/// removed after a snapshot): the replica must be seeded from a backup (<c>hft backup</c> / <c>hft restore</c>).
/// </summary>
public sealed class JournalGoneException(string message) : Exception(message);

/// <summary>
/// Reads a journal's records in sequence order, from a given sequence on, out of the segments another thread is still
/// appending to: only records up to a bound the caller knows are whole on disk (the writer's
/// <see cref="JournalWriter.WrittenSequence"/>) are read, so a record being written is never seen half-way. Each record is
/// checked (CRC, sequence) and copied as it is on disk. One open segment at a time, read forward; never writes.
/// </summary>
public sealed class JournalTail(string dir, long afterSequence) : IDisposable
{
    private readonly byte[] _header = new byte[JournalFormat.RecordHeaderSize];
    private FileStream? _segment;
    private long _next = afterSequence + 1;

    /// <summary>The sequence of the next record <see cref="Read"/> returns.</summary>
    public long NextSequence => _next;

    /// <summary>
    /// Copies whole records with sequences from <see cref="NextSequence"/> up to <paramref name="upTo"/> into
    /// <paramref name="buffer"/>, stopping before the first that would pass <paramref name="maxBytes"/> (a single record
    /// larger than that is still returned alone, so the buffer must hold one largest record). Returns the bytes copied.
    /// </summary>
    /// <exception cref="JournalGoneException">The journal no longer holds <see cref="NextSequence"/>.</exception>
    /// <exception cref="JournalCorruptException">A record on disk does not check out.</exception>
    public int Read(long upTo, Span<byte> buffer, int maxBytes)
    {
        int written = 0;
        while (_next <= upTo)
        {
            var segment = _segment ?? Open();
            long at = segment.Position;
            if (!ReadFully(segment, _header))
            {
                // The end of this segment: the record is committed, so the next segment starts with it.
                Close();
                if (FirstOfNextSegment() != _next)
                    throw new JournalCorruptException(dir, at, $"record {_next} is committed but no segment holds it");
                continue;
            }
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(_header);
            if (length > JournalFormat.MaxPayload) throw new JournalCorruptException(segment.Name, at, $"record length {length} exceeds the maximum");
            int size = JournalFormat.RecordHeaderSize + (int)length;
            if (written > 0 && written + size > maxBytes)
            {
                segment.Position = at;
                break;
            }
            if (written + size > buffer.Length) throw new ArgumentException($"buffer of {buffer.Length} bytes cannot hold a record of {size}", nameof(buffer));
            var record = buffer.Slice(written, size);
            _header.CopyTo(record);
            if (!ReadFully(segment, record[JournalFormat.RecordHeaderSize..]))
                throw new JournalCorruptException(segment.Name, at, $"record {_next} is committed but cut short on disk");
            long seq = BinaryPrimitives.ReadInt64LittleEndian(record[8..]);
            if (Crc32C.Compute(record[8..]) != BinaryPrimitives.ReadUInt32LittleEndian(record[4..]))
                throw new JournalCorruptException(segment.Name, at, "checksum mismatch");
            if (seq != _next) throw new JournalCorruptException(segment.Name, at, $"sequence {seq} where {_next} was expected");
            written += size;
            _next++;
        }
        return written;
    }

    /// <summary>Opens the segment holding <see cref="_next"/> and reads forward to that record.</summary>
    private FileStream Open()
    {
        var segments = JournalReader.Segments(dir);
        int index = -1;
        for (int i = 0; i < segments.Count; i++)
            if (segments[i].FirstSequence <= _next) index = i;
        if (index < 0)
            throw new JournalGoneException(segments.Count == 0
                ? $"this node's journal holds no records (record {_next} was asked for)"
                : $"this node's journal starts at record {segments[0].FirstSequence}; records from {_next} are no longer here: seed the replica from a backup");
        var (path, first) = segments[index];
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        try
        {
            Span<byte> header = stackalloc byte[JournalFormat.SegmentHeaderSize];
            if (!ReadFully(file, header)) throw new JournalCorruptException(path, 0, "segment header truncated");
            if (JournalFormat.CheckSegmentHeader(header, out long headerFirst) is { } problem) throw new JournalCorruptException(path, 0, problem);
            if (headerFirst != first) throw new JournalCorruptException(path, 0, $"header says first sequence {headerFirst}, name says {first}");
            for (long seq = first; seq < _next; seq++)
            {
                long at = file.Position;
                if (!ReadFully(file, _header))
                    throw new JournalGoneException($"record {_next} is not in {Path.GetFileName(path)} (it ends at {seq - 1})");
                long found = BinaryPrimitives.ReadInt64LittleEndian(_header.AsSpan(8));
                if (found != seq) throw new JournalCorruptException(path, at, $"sequence {found} where {seq} was expected");
                file.Position = at + JournalFormat.RecordHeaderSize + BinaryPrimitives.ReadUInt32LittleEndian(_header);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
        _segment = file;
        return file;
    }

    /// <summary>First sequence of the segment after the one that just ended (-1 when there is none).</summary>
    private long FirstOfNextSegment()
    {
        foreach (var (_, first) in JournalReader.Segments(dir))
            if (first >= _next) return first;
        return -1;
    }

    private static bool ReadFully(FileStream file, Span<byte> into)
    {
        int done = 0;
        while (done < into.Length)
        {
            int n = file.Read(into[done..]);
            if (n == 0)
            {
                file.Position -= done; // leave the position at the start of what was not whole
                return false;
            }
            done += n;
        }
        return true;
    }

    private void Close()
    {
        _segment?.Dispose();
        _segment = null;
    }

    public void Dispose() => Close();
}
