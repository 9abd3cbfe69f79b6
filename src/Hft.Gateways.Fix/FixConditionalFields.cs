namespace Hft.Gateways.Fix;

/// <summary>
/// The fields FIX 4.4 requires only when another field has certain values (Volume 4 and the message tables:
/// "Required for limit OrdTypes" and the like). A QuickFIX dictionary cannot say this, so it is this table: one rule a
/// row, checked by <see cref="FixValidator"/> after the dictionary's checks. A missing one is a Business Message Reject
/// with BusinessRejectReason 5 (Conditionally required field missing), as FIX 4.4 Volume 1 says.
/// </summary>
public static class FixConditionalFields
{
    /// <summary>On <paramref name="MsgType"/>, <paramref name="Tag"/> is required when <paramref name="WhenTag"/> has one of the one-character <paramref name="WhenValues"/>.</summary>
    public sealed record Rule(byte MsgType, int Tag, int WhenTag, string WhenValues)
    {
        /// <summary>Text (58) of the Business Message Reject: built once, sent as is.</summary>
        public string Text { get; } =
            $"{FixDictionary.NameOf(Tag)} ({Tag}) is required when {FixDictionary.NameOf(WhenTag)} ({WhenTag}) is {string.Join(" or ", WhenValues.ToCharArray())}";

        public bool Applies(byte msgType, byte when) => msgType == MsgType && when != 0 && WhenValues.Contains((char)when, StringComparison.Ordinal);
    }

    private static readonly Rule[] s_rules =
    [
        new(FixMsgTypes.NewOrderSingle, FixTags.Price, FixTags.OrdType, "24"),      // limit, stop limit
        new(FixMsgTypes.NewOrderSingle, FixTags.StopPx, FixTags.OrdType, "34"),     // stop, stop limit
        new(FixMsgTypes.OrderCancelReplaceRequest, FixTags.StopPx, FixTags.OrdType, "34"), // a replace restates the stop's trigger
        new(FixMsgTypes.OrderMassCancelRequest, FixTags.Symbol, FixTags.MassCancelRequestType, "1"), // cancel orders for a security
    ];

    public static IReadOnlyList<Rule> Rules => s_rules;

    /// <summary>The first rule <paramref name="m"/> breaks, or null.</summary>
    public static Rule? FirstMissing(FixMessage m)
    {
        foreach (var rule in s_rules)
            if (rule.Applies(m.MsgType, m.GetChar(rule.WhenTag)) && !m.Has(rule.Tag)) return rule;
        return null;
    }
}
