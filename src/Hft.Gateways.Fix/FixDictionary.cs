namespace Hft.Gateways.Fix;

/// <summary>
/// What the acceptor knows of the FIX 4.4 data dictionary, enough for the session-level field checks (FIX 4.4 Volume 2,
/// Reject reasons 0, 2, 5, 6, 14, 16): which tag numbers FIX 4.4 defines (1 to 956; user-defined tags are not
/// agreed with any counterparty, so 5000 and above are invalid too), the standard header and trailer, the body fields
/// of the session messages, the data type of the fields the acceptor reads or may be sent, the enumerations it
/// checks, and the repeating groups an order may carry. Application messages are not checked field by field against
/// their message type (any FIX 4.4 tag is accepted in their body). One lookup table indexed by tag: no allocation.
/// </summary>
public static class FixDictionary
{
    /// <summary>The highest tag number FIX 4.4 defines.</summary>
    public const int MaxTag = 956;

    [Flags]
    private enum Kind : ushort
    {
        None = 0,
        Header = 1,
        Trailer = 2,
        SeqNum = 1 << 2,        // non-negative integer
        Int = 1 << 3,           // integer, optional minus sign
        Float = 1 << 4,         // Qty, Price, Amt: optional minus, digits, at most one '.'; no '+', no exponent
        UtcTimestamp = 1 << 5,  // YYYYMMDD-HH:MM:SS[.s...]
        Boolean = 1 << 6,       // Y or N
        Char = 1 << 7,          // one character
        NumInGroup = 1 << 8,    // a repeating group's count (non-negative integer)
        Enum = 1 << 9,          // values checked by ValueAllowed
        AdminBody = 1 << 10,    // a body field of some session message (see AllowedInSessionMessage)
    }

    private static readonly Kind[] s_kinds = Build();

    private static Kind[] Build()
    {
        var k = new Kind[MaxTag + 1];
        foreach (int t in new[] { 8, 9, 35, 49, 56, 115, 128, 90, 91, 34, 50, 142, 57, 143, 116, 144, 129, 145, 43, 97, 52, 122, 212, 213, 347, 369,
                     627, 628, 629, 630 })
            k[t] |= Kind.Header;
        foreach (int t in new[] { 93, 89, 10 }) k[t] |= Kind.Trailer;
        foreach (int t in new[] { 34, 7, 16, 36, 45, 789, 369 }) k[t] |= Kind.SeqNum;
        foreach (int t in new[] { 108, 371, 373, 380, 95, 90, 93, 212 }) k[t] |= Kind.Int;
        foreach (int t in new[] { 38, 44, 99, 110, 111, 152, 210, 211, 6, 14, 151, 31, 32 }) k[t] |= Kind.Float;
        foreach (int t in new[] { 52, 122, 60, 126, 168, 630 }) k[t] |= Kind.UtcTimestamp;
        foreach (int t in new[] { 43, 97, 123, 141, 464 }) k[t] |= Kind.Boolean;
        foreach (int t in new[] { 21, 40, 54, 59, 530 }) k[t] |= Kind.Char | Kind.Enum;
        k[98] |= Kind.Int | Kind.Enum;
        foreach (int t in new[] { 386, 453, 78, 711, 555, 232, 454, 864, 627, 384 }) k[t] |= Kind.NumInGroup;
        foreach (int t in new[] { 112, 7, 16, 45, 371, 372, 373, 58, 354, 355, 123, 36, 98, 108, 95, 96, 141, 789, 383, 384, 385, 464, 553, 554, 925 })
            k[t] |= Kind.AdminBody;
        return k;
    }

    /// <summary>A tag number FIX 4.4 defines.</summary>
    public static bool IsDefined(int tag) => tag is > 0 and <= MaxTag;

    public static bool IsHeader(int tag) => IsDefined(tag) && (s_kinds[tag] & Kind.Header) != 0;

    public static bool IsTrailer(int tag) => IsDefined(tag) && (s_kinds[tag] & Kind.Trailer) != 0;

    /// <summary>A repeating group's NumInGroup field.</summary>
    public static bool IsGroupCount(int tag) => IsDefined(tag) && (s_kinds[tag] & Kind.NumInGroup) != 0;

    /// <summary>The first field of each entry of the group counted by <paramref name="countTag"/> (0 when unknown).</summary>
    public static int GroupDelimiter(int countTag) => countTag switch
    {
        386 => 336, // NoTradingSessions: TradingSessionID
        453 => 448, // NoPartyIDs: PartyID
        78 => 79,   // NoAllocs: AllocAccount
        711 => 311, // NoUnderlyings: UnderlyingSymbol
        555 => 600, // NoLegs: LegSymbol
        232 => 233, // NoStipulations: StipulationType
        454 => 455, // NoSecurityAltID: SecurityAltID
        864 => 865, // NoEvents: EventType
        627 => 628, // NoHops: HopCompID
        384 => 372, // NoMsgTypes: RefMsgType
        _ => 0,
    };

    /// <summary>Whether a body field may appear in a session (administrative) message of this type.</summary>
    public static bool AllowedInSessionMessage(byte msgType, int tag) => msgType switch
    {
        FixMsgTypes.Heartbeat or FixMsgTypes.TestRequest => tag == FixTags.TestReqId,
        FixMsgTypes.ResendRequest => tag is FixTags.BeginSeqNo or FixTags.EndSeqNo,
        FixMsgTypes.Reject => tag is FixTags.RefSeqNum or FixTags.RefTagId or FixTags.RefMsgType or FixTags.SessionRejectReason or FixTags.Text
            or 354 or 355,
        FixMsgTypes.SequenceReset => tag is FixTags.GapFillFlag or FixTags.NewSeqNo,
        FixMsgTypes.Logout => tag is FixTags.Text or 354 or 355,
        FixMsgTypes.Logon => IsDefined(tag) && (s_kinds[tag] & Kind.AdminBody) != 0,
        _ => true,
    };

    /// <summary>
    /// Checks one field's value against its data type and enumeration: <see cref="SessionRejectReason.IncorrectDataFormat"/>,
    /// <see cref="SessionRejectReason.ValueIncorrect"/>, or <see cref="SessionRejectReason.Other"/> when it is fine.
    /// </summary>
    public static SessionRejectReason CheckValue(int tag, ReadOnlySpan<byte> value)
    {
        if (!IsDefined(tag)) return SessionRejectReason.Other;
        var kind = s_kinds[tag];
        if ((kind & (Kind.SeqNum | Kind.NumInGroup)) != 0 && !IsDigits(value)) return SessionRejectReason.IncorrectDataFormat;
        if ((kind & Kind.Int) != 0 && !IsDigits(value.Length > 1 && value[0] == (byte)'-' ? value[1..] : value))
            return SessionRejectReason.IncorrectDataFormat;
        if ((kind & Kind.Float) != 0 && !IsFloat(value)) return SessionRejectReason.IncorrectDataFormat;
        if ((kind & Kind.UtcTimestamp) != 0 && !TryParseUtcTimestamp(value, out _)) return SessionRejectReason.IncorrectDataFormat;
        if ((kind & Kind.Boolean) != 0 && !(value.Length == 1 && value[0] is (byte)'Y' or (byte)'N')) return SessionRejectReason.IncorrectDataFormat;
        if ((kind & Kind.Char) != 0 && value.Length != 1) return SessionRejectReason.IncorrectDataFormat;
        if ((kind & Kind.Enum) != 0 && !EnumAllows(tag, value)) return SessionRejectReason.ValueIncorrect;
        return SessionRejectReason.Other;
    }

    // The FIX 4.4 values of the enumerated fields checked here (a value FIX defines but the venue does not support is
    // the application's answer, e.g. an ExecutionReport rejecting a stop order; a value FIX does not define is a Reject).
    private static bool EnumAllows(int tag, ReadOnlySpan<byte> value)
    {
        byte c = value.Length == 1 ? value[0] : (byte)0;
        return tag switch
        {
            21 => c is >= (byte)'1' and <= (byte)'3',                                                  // HandlInst
            40 => c is (>= (byte)'1' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'M') or (byte)'P', // OrdType
            54 => c is (>= (byte)'1' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'G'),             // Side
            59 => c is >= (byte)'0' and <= (byte)'7',                                                  // TimeInForce
            530 => c is >= (byte)'1' and <= (byte)'7',                                                 // MassCancelRequestType
            98 => c is >= (byte)'0' and <= (byte)'6',                                                  // EncryptMethod
            _ => true,
        };
    }

    private static bool IsDigits(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return false;
        foreach (byte b in value)
            if (b is < (byte)'0' or > (byte)'9') return false;
        return true;
    }

    private static bool IsFloat(ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty && value[0] == (byte)'-') value = value[1..];
        bool digit = false;
        bool dot = false;
        foreach (byte b in value)
        {
            if (b is >= (byte)'0' and <= (byte)'9') digit = true;
            else if (b == (byte)'.' && !dot) dot = true;
            else return false;
        }
        return digit;
    }

    /// <summary>
    /// A UTCTimestamp <c>YYYYMMDD-HH:MM:SS</c> with an optional fraction of 1 to 9 digits, as UTC ticks; false when
    /// malformed or not a date.
    /// </summary>
    public static bool TryParseUtcTimestamp(ReadOnlySpan<byte> v, out long ticks)
    {
        ticks = 0;
        if (v.Length < 17 || v[8] != (byte)'-' || v[11] != (byte)':' || v[14] != (byte)':') return false;
        if (!FixFramer.TryDigits(v[..4], out int year) || !FixFramer.TryDigits(v[4..6], out int month) || !FixFramer.TryDigits(v[6..8], out int day)
            || !FixFramer.TryDigits(v[9..11], out int hour) || !FixFramer.TryDigits(v[12..14], out int minute) || !FixFramer.TryDigits(v[15..17], out int second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
            return false;
        long fraction = 0;
        if (v.Length > 17)
        {
            var f = v[18..];
            if (v[17] != (byte)'.' || f.Length is 0 or > 9 || !FixFramer.TryDigits(f, out int digits)) return false;
            fraction = digits;
            for (int i = f.Length; i < 7; i++) fraction *= 10; // to ticks (100 ns)
            for (int i = 7; i < f.Length; i++) fraction /= 10;
        }
        ticks = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Utc).Ticks + fraction;
        return true;
    }

    /// <summary>
    /// The field checks of a parsed message, in wire order, after its session checks passed: tag numbers (0), header
    /// fields after body fields (14), body fields a session message does not define (2), data formats (6),
    /// enumerations (5), then repeating-group counts (16). True when it passes; else the reason and the tag.
    /// </summary>
    public static bool TryValidate(FixMessage m, out SessionRejectReason reason, out int tag)
    {
        bool admin = FixMsgTypes.IsAdmin(m.MsgType) && m.MsgTypeText.Length == 1;
        bool body = false;
        bool groups = false;
        for (int i = 3; i < m.FieldCount; i++)
        {
            tag = m.TagAt(i);
            if (!IsDefined(tag))
            {
                reason = SessionRejectReason.InvalidTagNumber;
                return false;
            }
            var kind = s_kinds[tag];
            if ((kind & Kind.Header) != 0)
            {
                if (body)
                {
                    reason = SessionRejectReason.TagOutOfRequiredOrder;
                    return false;
                }
            }
            else if ((kind & Kind.Trailer) == 0)
            {
                body = true;
                if (admin && !AllowedInSessionMessage(m.MsgType, tag))
                {
                    reason = SessionRejectReason.TagNotDefinedForMessageType;
                    return false;
                }
            }
            groups |= (kind & Kind.NumInGroup) != 0;
            reason = CheckValue(tag, m.ValueAt(i));
            if (reason != SessionRejectReason.Other) return false;
        }
        if (groups)
        {
            for (int i = 3; i < m.FieldCount; i++)
            {
                tag = m.TagAt(i);
                int delimiter = IsGroupCount(tag) ? GroupDelimiter(tag) : 0;
                if (delimiter == 0) continue;
                m.TryGetLong(tag, out long declared);
                int entries = 0;
                for (int j = i + 1; j < m.FieldCount; j++)
                    if (m.TagAt(j) == delimiter) entries++;
                if (entries != declared)
                {
                    reason = SessionRejectReason.IncorrectNumInGroupCount;
                    return false;
                }
            }
        }
        reason = SessionRejectReason.Other;
        tag = 0;
        return true;
    }

    /// <summary>The standard text of a SessionRejectReason, for Text (58) of a Reject.</summary>
    public static string Text(SessionRejectReason reason) => reason switch
    {
        SessionRejectReason.InvalidTagNumber => "Invalid tag number",
        SessionRejectReason.RequiredTagMissing => "Required tag missing",
        SessionRejectReason.TagNotDefinedForMessageType => "Tag not defined for this message type",
        SessionRejectReason.UndefinedTag => "Undefined tag",
        SessionRejectReason.TagSpecifiedWithoutValue => "Tag specified without a value",
        SessionRejectReason.ValueIncorrect => "Value is incorrect (out of range) for this tag",
        SessionRejectReason.IncorrectDataFormat => "Incorrect data format for value",
        SessionRejectReason.CompIdProblem => "CompID problem",
        SessionRejectReason.SendingTimeAccuracyProblem => "SendingTime accuracy problem",
        SessionRejectReason.InvalidMsgType => "Invalid MsgType",
        SessionRejectReason.TagAppearsMoreThanOnce => "Tag appears more than once",
        SessionRejectReason.TagOutOfRequiredOrder => "Tag specified out of required order",
        SessionRejectReason.IncorrectNumInGroupCount => "Incorrect NumInGroup count for repeating group",
        _ => "Other",
    };
}
