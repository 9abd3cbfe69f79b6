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

    /// <summary>No tag to name (RefTagID absent).</summary>
    public const int NoTag = int.MinValue;

    /// <summary>
    /// The frame does not begin BeginString, BodyLength, MsgType: garbled, to be ignored like a bad CheckSum (nothing
    /// can be trusted, not even its MsgSeqNum).
    /// </summary>
    public bool Garbled { get; private set; }

    /// <summary>
    /// Splits a frame (already checked by <see cref="FixFramer"/>) into fields. False with the SessionRejectReason and
    /// offending tag (<see cref="NoTag"/> when it has no number) of the first malformed field: an invalid tag number
    /// (0, negative, not digits), a field without '=', an empty value, a tag repeated outside a repeating group; the
    /// split goes on past it, so <see cref="SeqNum"/> and <see cref="MsgType"/> still name the message for its Reject
    /// (and it still consumes its number). False with <see cref="Garbled"/> when the first three fields are not 8, 9, 35.
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
        Garbled = false;
        reason = SessionRejectReason.Other;
        badTag = NoTag;
        bool ok = true;
        bool inGroup = false; // after a NumInGroup field the group's fields repeat
        var span = buffer.AsSpan(offset, length);
        int pos = 0;
        while (pos < span.Length)
        {
            int soh = span[pos..].IndexOf(FixFramer.Soh);
            int fieldEnd = soh < 0 ? span.Length : pos + soh;
            var field = span[pos..fieldEnd];
            int eq = field.IndexOf((byte)'=');
            int valueStart = pos + eq + 1;
            pos = fieldEnd + 1;
            if (eq < 0 || !TryTag(field[..eq], out int tag))
            {
                if (ok) (ok, reason, badTag) = (false, SessionRejectReason.InvalidTagNumber, eq > 0 && TryTag(field[..eq], out int t) ? t : NoTag);
                continue;
            }
            if (tag <= 0)
            {
                if (ok) (ok, reason, badTag) = (false, SessionRejectReason.InvalidTagNumber, tag);
                continue;
            }
            if (soh < 0)
            {
                if (ok) (ok, reason, badTag) = (false, SessionRejectReason.IncorrectDataFormat, tag);
                break;
            }
            if (fieldEnd == valueStart && ok) (ok, reason, badTag) = (false, SessionRejectReason.TagSpecifiedWithoutValue, tag);
            if (IndexOf(tag) >= 0)
            {
                if (!inGroup)
                {
                    if (ok) (ok, reason, badTag) = (false, SessionRejectReason.TagAppearsMoreThanOnce, tag);
                    continue;
                }
            }
            if (FieldCount == MaxFields)
            {
                if (ok) (ok, reason, badTag) = (false, SessionRejectReason.Other, tag);
                break;
            }
            _tags[FieldCount] = tag;
            _starts[FieldCount] = offset + valueStart;
            _lengths[FieldCount] = fieldEnd - valueStart;
            FieldCount++;
            inGroup |= FixDictionary.IsGroupCount(tag);
        }
        if (FieldCount < 4 || _tags[0] != FixTags.BeginString || _tags[1] != FixTags.BodyLength || _tags[2] != FixTags.MsgType)
        {
            Garbled = true;
            reason = SessionRejectReason.TagOutOfRequiredOrder;
            badTag = FieldCount > 2 ? _tags[2] : NoTag;
            return false;
        }
        MsgType = _lengths[2] == 1 ? buffer[_starts[2]] : (byte)0;
        return ok;
    }

    // A tag number: digits, or a minus sign and digits (a negative tag, named in the Reject); at most 9 digits.
    private static bool TryTag(ReadOnlySpan<byte> text, out int tag)
    {
        tag = 0;
        bool negative = !text.IsEmpty && text[0] == (byte)'-';
        if (negative) text = text[1..];
        if (text.IsEmpty || text.Length > 9) return false;
        foreach (byte b in text)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            tag = tag * 10 + (b - '0');
        }
        if (negative) tag = -tag;
        return true;
    }

    /// <summary>The value of the field at <paramref name="index"/> (wire order).</summary>
    public ReadOnlySpan<byte> ValueAt(int index) => _buffer.AsSpan(_starts[index], _lengths[index]);

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
