namespace Hft.Gateways.Fix;

/// <summary>
/// The one validation pass of an inbound message against <see cref="FixDictionary"/>, after the session checks
/// (framing, CompIDs, SendingTime, MsgSeqNum) and before any handling. In order: the MsgType (malformed: Reject 11;
/// well formed but not taken by the acceptor: Business Message Reject 380=3), then each field in wire order (tag
/// defined: 0; header after body: 14; allowed for the message type: 2; not repeated, within a group entry or at the
/// top level: 13; a group entry's fields after its delimiter: 15; data format: 6; enumeration: 5; each group's entries
/// as many as its NumInGroup: 16), then the required fields (1), then the conditionally required ones
/// (<see cref="FixConditionalFields"/>: Business Message Reject 380=5). Agreed custom tags (5000 and above,
/// <c>fix_allowed_custom_tags</c>) pass in application messages and are otherwise ignored. One per connection (it
/// keeps the open groups between fields); allocates nothing.
/// </summary>
public sealed class FixValidator
{
    /// <summary>Deepest nesting of repeating groups followed (FIX 4.4's components nest three deep).</summary>
    public const int MaxGroupDepth = 4;

    private const string UnsupportedText = "Unsupported message type";

    private readonly int[] _customTags;
    private readonly OpenGroup[] _open = new OpenGroup[MaxGroupDepth];

    private struct OpenGroup
    {
        public FixGroupDefinition Group;
        public int Declared;
        public int Entries;
        public ulong Seen; // the entry's fields seen so far, by position in the group
    }

    public FixValidator(IReadOnlyList<int>? customTags = null)
    {
        _customTags = customTags is null ? [] : [.. customTags];
        Array.Sort(_customTags);
    }

    public FixValidation Validate(FixMessage m)
    {
        var type = m.MsgTypeText;
        if (!IsWellFormedMsgType(type)) return FixValidation.Session(SessionRejectReason.InvalidMsgType, FixTags.MsgType);
        var def = FixDictionary.Message(type);
        if (def is null || !(def.IsAdmin || FixMsgTypes.IsAcceptedApplication(m.MsgType)))
            return FixValidation.Business(BusinessRejectReason.UnsupportedMessageType, FixTags.MsgType, UnsupportedText);
        var conforms = Conforms(m, def);
        if (conforms.Verdict != FixVerdict.Accept) return conforms;
        if (!def.IsAdmin && FixConditionalFields.FirstMissing(m) is { } rule)
            return FixValidation.Business(BusinessRejectReason.ConditionallyRequiredFieldMissing, rule.Tag, rule.Text);
        return FixValidation.Accepted;
    }

    /// <summary>
    /// The dictionary's checks of a message against the definition of its type (fields, groups, required fields),
    /// whichever side sent it: the acceptor's own messages are held to the same dictionary in its tests.
    /// </summary>
    public FixValidation Conforms(FixMessage m, FixMessageDefinition def)
    {
        Span<ulong> seen = stackalloc ulong[FixDictionary.TagWords];
        var fields = CheckFields(m, def, seen);
        if (fields.Verdict != FixVerdict.Accept) return fields;
        foreach (int tag in def.Required)
            if (!IsSet(seen, tag)) return FixValidation.Session(SessionRejectReason.RequiredTagMissing, tag);
        return FixValidation.Accepted;
    }

    /// <summary>A user-defined tag the venue agreed with its counterparties.</summary>
    public bool IsAgreedCustomTag(int tag) => tag > FixDictionary.MaxTag && Array.BinarySearch(_customTags, tag) >= 0;

    private FixValidation CheckFields(FixMessage m, FixMessageDefinition def, Span<ulong> seen)
    {
        var header = FixDictionary.Header;
        int depth = 0;
        bool body = false;
        for (int i = 3; i < m.FieldCount; i++)
        {
            int tag = m.TagAt(i);
            if (!FixDictionary.IsDefined(tag))
            {
                if (!IsAgreedCustomTag(tag)) return FixValidation.Session(SessionRejectReason.InvalidTagNumber, tag);
                if (def.IsAdmin) return FixValidation.Session(SessionRejectReason.TagNotDefinedForMessageType, tag);
                body = true;
                continue;
            }
            int member = -1;
            while (depth > 0 && (member = _open[depth - 1].Group.IndexOf(tag)) < 0)
            {
                ref var closing = ref _open[--depth];
                if (closing.Entries != closing.Declared) return FixValidation.Session(SessionRejectReason.IncorrectNumInGroupCount, closing.Group.CountTag);
            }
            if (member >= 0)
            {
                ref var open = ref _open[depth - 1];
                if (member == 0) (open.Entries, open.Seen) = (open.Entries + 1, 0);
                else if (open.Entries == 0) return FixValidation.Session(SessionRejectReason.RepeatingGroupFieldsOutOfOrder, tag);
                if ((open.Seen & (1UL << member)) != 0) return FixValidation.Session(SessionRejectReason.TagAppearsMoreThanOnce, tag);
                open.Seen |= 1UL << member;
            }
            else
            {
                if (header.Allows(tag))
                {
                    if (body) return FixValidation.Session(SessionRejectReason.TagOutOfRequiredOrder, tag);
                }
                else if (!FixDictionary.Trailer.Allows(tag))
                {
                    body = true;
                    if (!def.Allows(tag)) return FixValidation.Session(SessionRejectReason.TagNotDefinedForMessageType, tag);
                }
                if (IsSet(seen, tag)) return FixValidation.Session(SessionRejectReason.TagAppearsMoreThanOnce, tag);
                seen[tag >> 6] |= 1UL << (tag & 63);
            }
            var value = m.ValueAt(i);
            var reason = FixDictionary.CheckValue(tag, value);
            if (reason != SessionRejectReason.Other) return FixValidation.Session(reason, tag);
            if (FixDictionary.IsGroupCount(tag))
            {
                var group = member >= 0 ? _open[depth - 1].Group.Nested(tag) : header.Group(tag) ?? def.Group(tag);
                if (group is null) continue;
                if (depth == MaxGroupDepth) return FixValidation.Session(SessionRejectReason.Other, tag);
                _open[depth++] = new OpenGroup { Group = group, Declared = value.Length <= 9 && FixFramer.TryDigits(value, out int n) ? n : int.MaxValue };
            }
        }
        while (depth > 0)
        {
            ref var closing = ref _open[--depth];
            if (closing.Entries != closing.Declared) return FixValidation.Session(SessionRejectReason.IncorrectNumInGroupCount, closing.Group.CountTag);
        }
        return FixValidation.Accepted;
    }

    private static bool IsSet(ReadOnlySpan<ulong> bits, int tag) => (bits[tag >> 6] & (1UL << (tag & 63))) != 0;

    private static bool IsWellFormedMsgType(ReadOnlySpan<byte> type)
    {
        if (type.IsEmpty || type.Length > 2) return false;
        foreach (byte b in type)
            if (!char.IsAsciiLetterOrDigit((char)b)) return false;
        return true;
    }
}
