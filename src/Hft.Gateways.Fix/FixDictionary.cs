namespace Hft.Gateways.Fix;

/// <summary>
/// The acceptor's FIX 4.4 data dictionary: the embedded <c>Dictionary/FIX44.xml</c> (QuickFIX format) loaded once into
/// flat tables indexed by tag (type, enumeration, name) and one <see cref="FixMessageDefinition"/> per message type
/// (allowed and required fields as bitsets, repeating groups). <see cref="FixValidator"/> checks every inbound message
/// against it. Every number of FIX 4.4's range (1 to <see cref="MaxTag"/>) is a defined tag, whether or not the file
/// lists it (one it does not list is allowed in no message); user-defined tags (5000 and above) are defined only when
/// the venue agreed them (<c>fix_allowed_custom_tags</c>).
/// </summary>
public static class FixDictionary
{
    /// <summary>The highest tag number FIX 4.4 defines.</summary>
    public const int MaxTag = 956;

    /// <summary>The number of 64-bit words of a bitset indexed by tag.</summary>
    public const int TagWords = (MaxTag >> 6) + 1;

    private static readonly FixDictionaryData s_data = FixDictionaryLoader.LoadEmbedded();
    private static readonly FixMessageDefinition?[] s_byFirstChar = IndexOneCharTypes(s_data.Messages);

    private static FixMessageDefinition?[] IndexOneCharTypes(FixMessageDefinition[] messages)
    {
        var index = new FixMessageDefinition?[128];
        foreach (var m in messages)
            if (m.MsgType.Length == 1 && m.MsgType[0] < 128) index[m.MsgType[0]] = m;
        return index;
    }

    public static FixMessageDefinition Header => s_data.Header;

    public static FixMessageDefinition Trailer => s_data.Trailer;

    /// <summary>Every message type of the dictionary.</summary>
    public static IReadOnlyList<FixMessageDefinition> Messages => s_data.Messages;

    /// <summary>The definition of a MsgType (35) value, or null when the dictionary has none.</summary>
    public static FixMessageDefinition? Message(ReadOnlySpan<byte> msgType)
    {
        if (msgType.Length == 1) return msgType[0] < 128 ? s_byFirstChar[msgType[0]] : null;
        foreach (var m in s_data.Messages)
            if (IsAscii(m.MsgType, msgType)) return m;
        return null;
    }

    private static bool IsAscii(string text, ReadOnlySpan<byte> bytes)
    {
        if (text.Length != bytes.Length) return false;
        for (int i = 0; i < bytes.Length; i++)
            if (text[i] != bytes[i]) return false;
        return true;
    }

    /// <summary>A tag number FIX 4.4 defines.</summary>
    public static bool IsDefined(int tag) => tag is > 0 and <= MaxTag;

    public static bool IsHeader(int tag) => s_data.Header.Allows(tag);

    public static bool IsTrailer(int tag) => s_data.Trailer.Allows(tag);

    /// <summary>A repeating group's NumInGroup field.</summary>
    public static bool IsGroupCount(int tag) => TypeOf(tag) == FixFieldType.NumInGroup;

    public static FixFieldType TypeOf(int tag) => IsDefined(tag) ? s_data.Types[tag] : FixFieldType.Unchecked;

    /// <summary>The field's name in the dictionary ("Price"), or its number when it has none.</summary>
    public static string NameOf(int tag) => (IsDefined(tag) ? s_data.Names[tag] : null) ?? tag.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Checks one field's value against its data type and enumeration: <see cref="SessionRejectReason.IncorrectDataFormat"/>,
    /// <see cref="SessionRejectReason.ValueIncorrect"/>, or <see cref="SessionRejectReason.Other"/> when it is fine.
    /// </summary>
    public static SessionRejectReason CheckValue(int tag, ReadOnlySpan<byte> value)
    {
        if (!IsDefined(tag)) return SessionRejectReason.Other;
        if (!FixValueFormat.IsValid(s_data.Types[tag], value)) return SessionRejectReason.IncorrectDataFormat;
        var values = s_data.Enums[tag];
        if (values is null) return SessionRejectReason.Other;
        foreach (var allowed in values)
            if (value.SequenceEqual(allowed)) return SessionRejectReason.Other;
        return SessionRejectReason.ValueIncorrect;
    }

    /// <summary>See <see cref="FixValueFormat.TryParseUtcTimestamp"/>.</summary>
    public static bool TryParseUtcTimestamp(ReadOnlySpan<byte> v, out long ticks) => FixValueFormat.TryParseUtcTimestamp(v, out ticks);

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
        SessionRejectReason.RepeatingGroupFieldsOutOfOrder => "Repeating group fields out of order",
        SessionRejectReason.IncorrectNumInGroupCount => "Incorrect NumInGroup count for repeating group",
        _ => "Other",
    };
}
