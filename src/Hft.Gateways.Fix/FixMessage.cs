using System.Text;

namespace Hft.Gateways.Fix;

/// <summary>
/// The fields of one framed message, as (tag, offset, length) over the receive buffer: no copies, no allocation.
/// Reused for every message of a connection; valid until the buffer is compacted (the next read).
/// </summary>
public sealed class FixMessage
{
    public const int MaxFields = 256;

    private readonly int[] _tags = new int[MaxFields];
    private readonly int[] _starts = new int[MaxFields];
    private readonly int[] _lengths = new int[MaxFields];
    private byte[] _buffer = [];
    private int _offset;

    public int FieldCount { get; private set; }

    /// <summary>MsgType's first byte (all types handled here are one character); 0 when absent.</summary>
    public byte MsgType { get; private set; }

    /// <summary>MsgType's text (one or two characters).</summary>
    public ReadOnlySpan<byte> MsgTypeText => TryGet(FixTags.MsgType, out var v) ? v : default;

    /// <summary>MsgSeqNum (34); 0 when absent or malformed.</summary>
    public long SeqNum { get; private set; }

    /// <summary>The whole frame.</summary>
    public ReadOnlySpan<byte> Raw => _buffer.AsSpan(_offset, _frameLength);

    private int _frameLength;

    /// <summary>
    /// Splits a frame (already checked by <see cref="FixFramer"/>) into fields. False with the SessionRejectReason and
    /// offending tag when a field is malformed (no '=', a non-numeric tag, an empty value), a tag repeats, or the
    /// header does not begin 8, 9, 35; <see cref="SeqNum"/> is then that of a MsgSeqNum read before the fault, so the
    /// Reject names the message and the message still consumes its number.
    /// </summary>
    public bool TryParse(byte[] buffer, int offset, int length, out SessionRejectReason reason, out int badTag)
    {
        bool parsed = TrySplit(buffer, offset, length, out reason, out badTag);
        if (TryGetLong(FixTags.MsgSeqNum, out long seq)) SeqNum = seq;
        return parsed;
    }

    private bool TrySplit(byte[] buffer, int offset, int length, out SessionRejectReason reason, out int badTag)
    {
        _buffer = buffer;
        _offset = offset;
        _frameLength = length;
        FieldCount = 0;
        MsgType = 0;
        SeqNum = 0;
        reason = SessionRejectReason.Other;
        badTag = 0;
        var span = buffer.AsSpan(offset, length);
        int pos = 0;
        while (pos < span.Length)
        {
            int tag = 0;
            int tagStart = pos;
            while (pos < span.Length && span[pos] != (byte)'=')
            {
                byte b = span[pos];
                if (b is < (byte)'0' or > (byte)'9' || pos - tagStart >= 9)
                {
                    reason = SessionRejectReason.InvalidTagNumber;
                    return false;
                }
                tag = tag * 10 + (b - '0');
                pos++;
            }
            if (pos == tagStart || pos >= span.Length || tag == 0)
            {
                reason = SessionRejectReason.InvalidTagNumber;
                return false;
            }
            int valueStart = ++pos;
            int soh = span[pos..].IndexOf(FixFramer.Soh);
            if (soh < 0)
            {
                reason = SessionRejectReason.IncorrectDataFormat;
                badTag = tag;
                return false;
            }
            if (soh == 0)
            {
                reason = SessionRejectReason.TagSpecifiedWithoutValue;
                badTag = tag;
                return false;
            }
            if (FieldCount == MaxFields || IndexOf(tag) >= 0)
            {
                reason = FieldCount == MaxFields ? SessionRejectReason.Other : SessionRejectReason.TagAppearsMoreThanOnce;
                badTag = tag;
                return false;
            }
            _tags[FieldCount] = tag;
            _starts[FieldCount] = offset + valueStart;
            _lengths[FieldCount] = soh;
            FieldCount++;
            pos = valueStart + soh + 1;
        }
        if (FieldCount < 4 || _tags[0] != FixTags.BeginString || _tags[1] != FixTags.BodyLength || _tags[2] != FixTags.MsgType)
        {
            reason = SessionRejectReason.TagOutOfRequiredOrder;
            badTag = FieldCount > 2 ? _tags[2] : 0;
            return false;
        }
        MsgType = _lengths[2] == 1 ? buffer[_starts[2]] : (byte)0;
        return true;
    }

    private int IndexOf(int tag)
    {
        for (int i = 0; i < FieldCount; i++)
            if (_tags[i] == tag) return i;
        return -1;
    }

    public bool Has(int tag) => IndexOf(tag) >= 0;

    public int TagAt(int index) => _tags[index];

    public bool TryGet(int tag, out ReadOnlySpan<byte> value)
    {
        int i = IndexOf(tag);
        if (i < 0)
        {
            value = default;
            return false;
        }
        value = _buffer.AsSpan(_starts[i], _lengths[i]);
        return true;
    }

    public ReadOnlySpan<byte> Get(int tag) => TryGet(tag, out var v) ? v : default;

    /// <summary>A non-negative integer field; false when absent or not all digits.</summary>
    public bool TryGetLong(int tag, out long value)
    {
        value = 0;
        if (!TryGet(tag, out var v) || v.Length is 0 or > 18) return false;
        foreach (byte b in v)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (b - '0');
        }
        return true;
    }

    /// <summary>A one-character field; 0 when absent or longer.</summary>
    public byte GetChar(int tag) => TryGet(tag, out var v) && v.Length == 1 ? v[0] : (byte)0;

    /// <summary>A Boolean field is Y; absent is N.</summary>
    public bool IsYes(int tag) => GetChar(tag) == (byte)'Y';

    public string? GetString(int tag) => TryGet(tag, out var v) ? Encoding.ASCII.GetString(v) : null;

    public bool ValueEquals(int tag, string ascii)
    {
        if (!TryGet(tag, out var v) || v.Length != ascii.Length) return false;
        for (int i = 0; i < v.Length; i++)
            if (v[i] != ascii[i]) return false;
        return true;
    }

    public override string ToString() => Encoding.ASCII.GetString(Raw).Replace('\u0001', '|');
}
