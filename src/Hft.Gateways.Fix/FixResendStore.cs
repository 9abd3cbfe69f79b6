using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Hft.Gateways.Fix;

/// <summary>
/// The last <c>capacity</c> application messages a session sent (type, body fields, original SendingTime), by
/// MsgSeqNum, in a ring of reused buffers: a ResendRequest is answered with these (PossDupFlag=Y, OrigSendingTime),
/// and with SequenceReset-GapFill for admin messages and anything no longer held.
/// <para>
/// Persisted (when given a path): every message added is also appended, from the same span, to a buffer that
/// <see cref="Flush"/> writes to the current file with one write, just before the batch that carries it goes to the
/// socket. Two files, <c>{path}.0</c> and <c>{path}.1</c>, each starting with a u64 generation (the higher one is the
/// newer file); then entries <c>[u32 payload length][u32 CRC-32 of payload]</c> with the payload
/// <c>[i64 MsgSeqNum][i64 SendingTime ticks][u16 type length][type][body]</c>, little-endian. Not fsynced per
/// write (only on close and reset): an ExecutionReport is sent only after the journal made its order durable, so a
/// tail lost to a power failure only turns those numbers into a gap fill on resend. Bounded: once the current file
/// holds <c>capacity</c> entries, the other one is emptied and takes the next generation, so at most 2 × capacity
/// entries (plus one flushed batch) are on disk and rolling opens nothing. On open, the older then the newer file are
/// read into the ring; a torn or corrupt tail (short entry, bad length or CRC) ends the read and is cut off the
/// newer file.
/// </para>
/// </summary>
public sealed class FixResendStore : IDisposable
{
    private const int HeaderLength = 8;
    private const int FileHeaderLength = 8; // u64 generation: the file with the higher one is the newer
    private const int FixedPayload = 18; // seq, ticks, type length
    private const int MaxPayload = 1 << 24;
    private readonly Entry[] _ring;
    private readonly string? _path;
    private readonly SafeFileHandle?[] _files = new SafeFileHandle?[2];
    private readonly long[] _generations = new long[2];
    private readonly byte[] _fileHeader = new byte[FileHeaderLength];
    private int _current;
    private long _fileLength;
    private int _fileEntries;
    private byte[] _pending = [];
    private int _pendingLength;

    public FixResendStore(int capacity) => _ring = new Entry[Math.Max(1, capacity)];

    /// <summary>A store persisted in <c>{path}.0</c> and <c>{path}.1</c>, loaded now.</summary>
    public FixResendStore(int capacity, string path) : this(capacity)
    {
        _path = path;
        _pending = new byte[64 * 1024];
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        for (int i = 0; i < 2; i++)
        {
            _files[i] = File.OpenHandle(FileName(i), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            _generations[i] = RandomAccess.Read(_files[i]!, _fileHeader, 0) == FileHeaderLength ? BinaryPrimitives.ReadInt64LittleEndian(_fileHeader) : 0;
        }
        if (_generations[0] <= 0 && _generations[1] <= 0)
        {
            StartFile(0, 1);
            return;
        }
        int older = _generations[1] < _generations[0] ? 1 : 0;
        _current = 1 - older;
        if (_generations[older] > 0) Load(_files[older]!, out _, out _);
        if (_generations[_current] <= 0)
        {
            StartFile(_current, Math.Max(_generations[older], 0) + 1);
            return;
        }
        Load(_files[_current]!, out _fileLength, out _fileEntries);
        if (RandomAccess.GetLength(_files[_current]!) != _fileLength) RandomAccess.SetLength(_files[_current]!, _fileLength); // cut a torn tail
    }

    public int Capacity => _ring.Length;

    /// <summary>Where the store is persisted: <c>{FilePath}.0</c> and <c>.1</c> (null: memory only).</summary>
    public string? FilePath => _path;

    /// <summary>The name of one of the two files the store alternates between.</summary>
    public string FileName(int index) => _path + (index == 0 ? ".0" : ".1");

    public void Add(long seq, ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> body, DateTime sendingTime)
    {
        Remember(seq, msgType, body, sendingTime.Ticks);
        if (_path is null) return;
        int payload = FixedPayload + msgType.Length + body.Length;
        int need = HeaderLength + payload;
        if (_pendingLength + need > _pending.Length) Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + need));
        var e = _pending.AsSpan(_pendingLength, need);
        var p = e[HeaderLength..];
        BinaryPrimitives.WriteInt64LittleEndian(p, seq);
        BinaryPrimitives.WriteInt64LittleEndian(p[8..], sendingTime.Ticks);
        BinaryPrimitives.WriteUInt16LittleEndian(p[16..], (ushort)msgType.Length);
        msgType.CopyTo(p[FixedPayload..]);
        body.CopyTo(p[(FixedPayload + msgType.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(e, (uint)payload);
        BinaryPrimitives.WriteUInt32LittleEndian(e[4..], Crc32(p));
        _pendingLength += need;
    }

    /// <summary>
    /// Writes the entries added since the last call to the current file (one write); once it holds the window, the
    /// other file is emptied and becomes the current one (no file is opened or renamed: nothing allocated). False when
    /// the write failed: those entries are dropped from the file (the ring still holds them until a restart; after
    /// one they are gap-filled) and the send goes on.
    /// </summary>
    public bool Flush()
    {
        var file = _files[_current];
        if (file is null || _pendingLength == 0) return true;
        try
        {
            RandomAccess.Write(file, _pending.AsSpan(0, _pendingLength), _fileLength);
            _fileLength += _pendingLength;
            int entries = 0;
            for (int o = 0; o < _pendingLength; o += HeaderLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(_pending.AsSpan(o))) entries++;
            _fileEntries += entries;
            _pendingLength = 0;
            if (_fileEntries >= _ring.Length) StartFile(1 - _current, _generations[_current] + 1);
            return true;
        }
        catch (IOException)
        {
            _pendingLength = 0;
            return false;
        }
    }

    /// <summary>Empties file <paramref name="index"/>, stamps it with <paramref name="generation"/> and appends there from now on.</summary>
    private void StartFile(int index, long generation)
    {
        var file = _files[index]!;
        RandomAccess.SetLength(file, 0);
        BinaryPrimitives.WriteInt64LittleEndian(_fileHeader, generation);
        RandomAccess.Write(file, _fileHeader, 0);
        _generations[index] = generation;
        _current = index;
        _fileLength = FileHeaderLength;
        _fileEntries = 0;
    }

    /// <summary>The application message sent as <paramref name="seq"/>, if still held.</summary>
    public bool TryGet(long seq, out ReadOnlySpan<byte> msgType, out ReadOnlySpan<byte> body, out DateTime sendingTime)
    {
        ref var e = ref _ring[seq % _ring.Length];
        if (e.Seq != seq || e.Bytes is null)
        {
            msgType = body = default;
            sendingTime = default;
            return false;
        }
        msgType = e.Bytes.AsSpan(0, e.TypeLength);
        body = e.Bytes.AsSpan(e.TypeLength, e.BodyLength);
        sendingTime = e.SendingTime;
        return true;
    }

    /// <summary>Forgets everything (sequence reset): both files start again empty (fsynced).</summary>
    public void Clear()
    {
        for (int i = 0; i < _ring.Length; i++) _ring[i].Seq = 0;
        if (_files[0] is null) return;
        _pendingLength = 0;
        RandomAccess.SetLength(_files[1]!, 0);
        _generations[1] = 0;
        StartFile(0, 1);
        RandomAccess.FlushToDisk(_files[0]!);
        RandomAccess.FlushToDisk(_files[1]!);
    }

    public void Dispose()
    {
        if (_files[0] is null) return;
        Flush();
        for (int i = 0; i < 2; i++)
        {
            RandomAccess.FlushToDisk(_files[i]!);
            _files[i]!.Dispose();
            _files[i] = null;
        }
    }

    private void Remember(long seq, ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> body, long ticks)
    {
        ref var e = ref _ring[seq % _ring.Length];
        int need = msgType.Length + body.Length;
        if (e.Bytes is null || e.Bytes.Length < need) e.Bytes = new byte[Math.Max(need, 256)];
        msgType.CopyTo(e.Bytes);
        body.CopyTo(e.Bytes.AsSpan(msgType.Length));
        e.Seq = seq;
        e.TypeLength = msgType.Length;
        e.BodyLength = body.Length;
        e.SendingTime = new DateTime(ticks, DateTimeKind.Utc);
    }

    /// <summary>Reads entries into the ring up to the first torn or corrupt one; returns the good length and count.</summary>
    private void Load(SafeFileHandle file, out long goodLength, out int entries)
    {
        long length = RandomAccess.GetLength(file);
        var header = new byte[HeaderLength];
        byte[] payload = new byte[4096];
        goodLength = FileHeaderLength;
        entries = 0;
        while (goodLength + HeaderLength <= length)
        {
            if (RandomAccess.Read(file, header, goodLength) != HeaderLength) break;
            uint n = BinaryPrimitives.ReadUInt32LittleEndian(header);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (n < FixedPayload || n > MaxPayload || goodLength + HeaderLength + n > length) break;
            if (payload.Length < n) payload = new byte[n];
            var p = payload.AsSpan(0, (int)n);
            if (RandomAccess.Read(file, p, goodLength + HeaderLength) != n || Crc32(p) != crc) break;
            long seq = BinaryPrimitives.ReadInt64LittleEndian(p);
            long ticks = BinaryPrimitives.ReadInt64LittleEndian(p[8..]);
            int typeLength = BinaryPrimitives.ReadUInt16LittleEndian(p[16..]);
            if (seq < 1 || ticks < 0 || ticks > DateTime.MaxValue.Ticks || FixedPayload + typeLength > n) break;
            Remember(seq, p.Slice(FixedPayload, typeLength), p[(FixedPayload + typeLength)..], ticks);
            goodLength += HeaderLength + n;
            entries++;
        }
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }

    /// <summary>CRC-32 (IEEE, as zlib).</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    private struct Entry
    {
        public long Seq;
        public byte[]? Bytes;
        public int TypeLength;
        public int BodyLength;
        public DateTime SendingTime;
    }
}
