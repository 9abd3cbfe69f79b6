namespace Hft.Cli.Replay;

/// <summary>
/// Streams a file as lines of UTF-8 bytes without building it in memory: one growing buffer, lines handed
/// out as spans valid until the next call. A line longer than <see cref="MaxLineBytes"/> is an error.
/// </summary>
public sealed class LineReader
{
    public const int MaxLineBytes = 1 << 20;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;
    private bool _eof;

    public LineReader(Stream stream) => _stream = stream;

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Next line without its '\n' (and without a trailing '\r'); false at end of input.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        int scanFrom = _start;
        while (true)
        {
            int nl = _buffer.AsSpan(scanFrom, _end - scanFrom).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                int lineEnd = scanFrom + nl;
                line = Trim(_buffer.AsSpan(_start, lineEnd - _start));
                _start = lineEnd + 1;
                LineNumber++;
                return true;
            }
            if (_eof)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = Trim(_buffer.AsSpan(_start, _end - _start));
                _start = _end;
                LineNumber++;
                return true;
            }
            if (_end - _start > MaxLineBytes)
            {
                LineNumber++;
                tooLong = true;
                line = default;
                return true;
            }
            scanFrom = Fill() ;
        }
    }

    /// <summary>Moves the partial line to the front (growing if needed), reads more; returns where to resume scanning.</summary>
    private int Fill()
    {
        int pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        int resume = _end;
        _end += read;
        return resume;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line)
        => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
