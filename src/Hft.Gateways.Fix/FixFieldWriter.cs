using System.Buffers.Text;

namespace Hft.Gateways.Fix;

/// <summary>
/// Appends <c>tag=value|</c> fields to a growable byte buffer (reused: <see cref="Clear"/>); numbers and timestamps
/// are formatted in place, without allocating.
/// </summary>
public sealed class FixFieldWriter
{
    private byte[] _buffer;

    public FixFieldWriter(int capacity = 1024) => _buffer = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public FixFieldWriter Add(int tag, ReadOnlySpan<byte> value)
    {
        var dest = Reserve(12 + value.Length);
        int n = WriteTag(tag, dest);
        value.CopyTo(dest[n..]);
        n += value.Length;
        dest[n++] = FixFramer.Soh;
        Length += n;
        return this;
    }

    public FixFieldWriter Add(int tag, string ascii)
    {
        var dest = Reserve(12 + ascii.Length);
        int n = WriteTag(tag, dest);
        foreach (char c in ascii) dest[n++] = c is >= ' ' and < (char)127 ? (byte)c : (byte)'?';
        dest[n++] = FixFramer.Soh;
        Length += n;
        return this;
    }

    public FixFieldWriter Add(int tag, long value)
    {
        var dest = Reserve(34);
        int n = WriteTag(tag, dest);
        Utf8Formatter.TryFormat(value, dest[n..], out int w);
        n += w;
        dest[n++] = FixFramer.Soh;
        Length += n;
        return this;
    }

    public FixFieldWriter AddChar(int tag, byte value)
    {
        var dest = Reserve(14);
        int n = WriteTag(tag, dest);
        dest[n++] = value;
        dest[n++] = FixFramer.Soh;
        Length += n;
        return this;
    }

    /// <summary>A UTCTimestamp, <c>YYYYMMDD-HH:MM:SS.sss</c>.</summary>
    public FixFieldWriter AddTime(int tag, DateTime utc)
    {
        var dest = Reserve(36);
        int n = WriteTag(tag, dest);
        n += FormatTime(utc, dest[n..]);
        dest[n++] = FixFramer.Soh;
        Length += n;
        return this;
    }

    /// <summary>A field whose value a formatter writes into the span (returns the byte count).</summary>
    public FixFieldWriter Add<TState>(int tag, TState state, Func<TState, Span<byte>, int> format, int maxLength = 48)
    {
        var dest = Reserve(12 + maxLength);
        int n = WriteTag(tag, dest);
        n += format(state, dest[n..]);
        dest[n++] = FixFramer.Soh;
        Length += n;
        return this;
    }

    /// <summary>Already encoded fields (a stored message body on resend).</summary>
    public FixFieldWriter AddRaw(ReadOnlySpan<byte> fields)
    {
        fields.CopyTo(Reserve(fields.Length));
        Length += fields.Length;
        return this;
    }

    public static int FormatTime(DateTime utc, Span<byte> dest)
    {
        Four(dest, utc.Year);
        Two(dest[4..], utc.Month);
        Two(dest[6..], utc.Day);
        dest[8] = (byte)'-';
        Two(dest[9..], utc.Hour);
        dest[11] = (byte)':';
        Two(dest[12..], utc.Minute);
        dest[14] = (byte)':';
        Two(dest[15..], utc.Second);
        dest[17] = (byte)'.';
        int ms = utc.Millisecond;
        dest[18] = (byte)('0' + ms / 100);
        dest[19] = (byte)('0' + ms / 10 % 10);
        dest[20] = (byte)('0' + ms % 10);
        return 21;
    }

    private static void Two(Span<byte> d, int v)
    {
        d[0] = (byte)('0' + v / 10);
        d[1] = (byte)('0' + v % 10);
    }

    private static void Four(Span<byte> d, int v)
    {
        Two(d, v / 100);
        Two(d[2..], v % 100);
    }

    private static int WriteTag(int tag, Span<byte> dest)
    {
        Utf8Formatter.TryFormat(tag, dest, out int n);
        dest[n++] = (byte)'=';
        return n;
    }

    private Span<byte> Reserve(int bytes)
    {
        if (Length + bytes > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + bytes));
        return _buffer.AsSpan(Length);
    }
}
