using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Hft.Gateways.Fix;

/// <summary>
/// A session's next outgoing and next expected incoming MsgSeqNum, kept in one small file
/// (<c>{dir}/{our CompID}-{their CompID}.seqnums</c>: two 20-digit numbers). Written in place at batch boundaries
/// (one pwrite, no allocation) and fsynced at most every <c>fsyncIntervalMs</c> and always on logon, logout and close:
/// a process crash loses nothing (the page cache holds the last write), a power loss at most the last interval.
/// </summary>
public sealed class FixSequenceStore : IDisposable
{
    private const int RecordLength = 42; // 20 digits, space, 20 digits, newline
    private readonly SafeFileHandle _file;
    private readonly byte[] _record = new byte[RecordLength];
    private readonly long _fsyncTicks;
    private long _lastFsync;
    private long _writtenOut;
    private long _writtenIn;
    private bool _unsynced;
    private readonly object _gate = new();

    public FixSequenceStore(string path, int fsyncIntervalMs)
    {
        Path = path;
        _fsyncTicks = Stopwatch.Frequency * fsyncIntervalMs / 1000;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        bool existed = File.Exists(path);
        _file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (existed && RandomAccess.GetLength(_file) > 0)
        {
            var text = new byte[RecordLength];
            int n = RandomAccess.Read(_file, text, 0);
            var parts = Encoding.ASCII.GetString(text, 0, n).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long o) ||
                !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long i) || o < 1 || i < 1)
            {
                _file.Dispose();
                throw new InvalidDataException($"FIX sequence file {path} is corrupt ('{Encoding.ASCII.GetString(text, 0, n).Trim()}'); " +
                    "expected '<next outgoing> <next incoming>'. Fix or delete it (a delete resets the session to 1/1)");
            }
            NextOut = o;
            NextIn = i;
        }
        else
        {
            NextOut = 1;
            NextIn = 1;
            Save(fsync: true);
        }
        _writtenOut = NextOut;
        _writtenIn = NextIn;
    }

    public string Path { get; }

    /// <summary>MsgSeqNum of our next outgoing message.</summary>
    public long NextOut { get; set; }

    /// <summary>MsgSeqNum we expect next from the counterparty.</summary>
    public long NextIn { get; set; }

    /// <summary>Writes the numbers when they changed; fsyncs when <paramref name="fsync"/> or the interval has passed.</summary>
    public void Save(bool fsync = false)
    {
        lock (_gate)
        {
            long o = NextOut, i = NextIn;
            if (o != _writtenOut || i != _writtenIn || _record[0] == 0)
            {
                Digits(o, _record.AsSpan(0, 20));
                _record[20] = (byte)' ';
                Digits(i, _record.AsSpan(21, 20));
                _record[41] = (byte)'\n';
                RandomAccess.Write(_file, _record, 0);
                _writtenOut = o;
                _writtenIn = i;
                _unsynced = true;
            }
            long now = Stopwatch.GetTimestamp();
            if (_unsynced && (fsync || now - _lastFsync >= _fsyncTicks))
            {
                RandomAccess.FlushToDisk(_file);
                _lastFsync = now;
                _unsynced = false;
            }
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            NextOut = 1;
            NextIn = 1;
        }
        Save(fsync: true);
    }

    private static void Digits(long v, Span<byte> dest)
    {
        for (int k = dest.Length - 1; k >= 0; k--)
        {
            dest[k] = (byte)('0' + v % 10);
            v /= 10;
        }
    }

    public void Dispose()
    {
        Save(fsync: true);
        _file.Dispose();
    }
}
