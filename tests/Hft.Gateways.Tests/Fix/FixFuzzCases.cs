using System.Text;
using CsCheck;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>How the acceptor answers a hostile input, as docs/protocol/fix.md says.</summary>
internal enum Reaction
{
    /// <summary>Before Logon: the connection is closed without a reply.</summary>
    Disconnect,

    /// <summary>After Logon: garbled, ignored; the expected MsgSeqNum does not move.</summary>
    Ignored,

    /// <summary>After Logon: Reject (3) with SessionRejectReason <see cref="Expected.Code"/>; the message consumes its number.</summary>
    Reject,

    /// <summary>After Logon: ExecutionReport 150=8 with OrdRejReason <see cref="Expected.Code"/>; the message consumes its number.</summary>
    OrderReject,

    /// <summary>Logout whose Text contains <see cref="Expected.Text"/>, then the connection is closed.</summary>
    LogoutAndClose,
}

internal sealed record Expected(Reaction Reaction, int Code = 0, string Text = "");

/// <summary>One hostile input: its bytes for a sender and MsgSeqNum, and the documented reaction before and after Logon (null: not sent then).</summary>
internal sealed record FuzzCase(string Kind, string Detail, Func<string, long, byte[]> Bytes, Expected? BeforeLogon, Expected? AfterLogon)
{
    public override string ToString() => $"{Kind} ({Detail})";
}

/// <summary>
/// CsCheck generators of hostile FIX input: random bytes, wrong CheckSums, wrong and huge BodyLengths, missing SOH,
/// repeated tags, tags without value or not numeric, non-numeric numeric fields, overlong fields and messages, and
/// Logons that are refused.
/// </summary>
internal static class FixFuzzCases
{
    public const string PreLogonSender = "CLIENT_PRE";
    public const string PreLogonPassword = "pre-logon-secret";

    private static readonly Expected s_disconnect = new(Reaction.Disconnect);
    private static readonly Expected s_ignored = new(Reaction.Ignored);
    private static readonly Expected s_tooLong = new(Reaction.LogoutAndClose, Text: "longer than");

    private static string TestRequest(string sender, long seq, string extra = "") => FixFrames.Header("1", sender, seq) + "112=fuzz|" + extra;

    private static string NewOrder(string sender, long seq, string clOrdId, string qty)
        => FixFrames.Header("D", sender, seq) + $"11={clOrdId}|55=BTCUSD|54=1|60=20260101-00:00:00|38={qty}|40=2|44=49000.00|";

    private static readonly Gen<string> s_letters = Gen.Char['a', 'z'].Array[1, 12].Select(c => new string(c));

    private static readonly Gen<FuzzCase> s_noise = Gen.Byte.Array[1, 300].Where(b => b.AsSpan().IndexOf("8=FIX"u8) < 0)
        .Select(b => new FuzzCase("random bytes", Convert.ToHexString(b.AsSpan(0, Math.Min(b.Length, 24))), (_, _) => b, s_disconnect, s_ignored));

    private static readonly Gen<FuzzCase> s_wrongChecksum = Gen.Int[1, 255]
        .Select(d => new FuzzCase("wrong CheckSum", $"+{d}", (s, q) => FixFrames.Frame(TestRequest(s, q), checksumDelta: d), s_disconnect, s_ignored));

    // Up to 20 bytes off: the probe that follows (longer than that) still completes the bytes the framer waits for.
    private static readonly Gen<FuzzCase> s_wrongBodyLength = Gen.Int[-20, 20].Where(d => d != 0)
        .Select(d => new FuzzCase("wrong BodyLength", $"{d:+#;-#}", (s, q) =>
        {
            var body = FixFrames.Ascii(TestRequest(s, q));
            return FixFrames.Frame(body, body.Length + d);
        }, s_disconnect, s_ignored));

    private static readonly Gen<FuzzCase> s_hugeBodyLength = Gen.Select(Gen.Long[8193, 999_999_999_999], Gen.Bool,
        (n, delimited) => new FuzzCase("BodyLength above the maximum", $"9={n}{(delimited ? "|35=D|" : "")}",
            (_, _) => FixFrames.Ascii($"8=FIX.4.4|9={n}" + (delimited ? "|35=D|" : "")), s_disconnect, s_tooLong));

    private static readonly Gen<FuzzCase> s_overlongMessage = Gen.Int[8200, 12_000]
        .Select(n => new FuzzCase("message longer than the maximum", $"{n} bytes of Text",
            (s, q) => FixFrames.Frame(TestRequest(s, q, "58=" + new string('x', n) + "|")), s_disconnect, s_tooLong));

    private static readonly Gen<FuzzCase> s_missingSoh = Gen.Int[0, 1000]
        .Select(k => new FuzzCase("missing SOH", $"the {k}th SOH (mod count) removed", (s, q) =>
        {
            var frame = FixFrames.Frame(TestRequest(s, q));
            var sohs = Enumerable.Range(0, frame.Length).Where(i => frame[i] == FixFramer.Soh).ToArray();
            int drop = sohs[k % sohs.Length];
            return [.. frame[..drop], .. frame[(drop + 1)..]];
        }, s_disconnect, s_ignored));

    private static readonly Gen<FuzzCase> s_repeatedTag = Gen.OneOfConst(52, 112, 58)
        .Select(tag => new FuzzCase("tag repeated", $"{tag}", (s, q) =>
        {
            string fields = tag switch
            {
                52 => TestRequest(s, q).Replace("|112=", "|52=20260101-00:00:00|112="),
                112 => TestRequest(s, q, "112=again|"),
                _ => TestRequest(s, q, "58=a|58=b|"),
            };
            return FixFrames.Frame(fields);
        }, s_disconnect, new Expected(Reaction.Reject, (int)SessionRejectReason.TagAppearsMoreThanOnce)));

    private static readonly Gen<FuzzCase> s_emptyValue = Gen.OneOfConst(58, 112, 9999)
        .Select(tag => new FuzzCase("tag without value", $"{tag}=",
            (s, q) => FixFrames.Frame(tag == 112 ? TestRequest(s, q).Replace("112=fuzz", "112=") : TestRequest(s, q, $"{tag}=|")),
            s_disconnect, new Expected(Reaction.Reject, (int)SessionRejectReason.TagSpecifiedWithoutValue)));

    private static readonly Gen<FuzzCase> s_badTagNumber = Gen.OneOf(s_letters, Gen.Const("0"), Gen.Const("12345678901"), Gen.Const("5x8"))
        .Select(tag => new FuzzCase("tag not a (valid) number", tag, (s, q) => FixFrames.Frame(TestRequest(s, q, $"{tag}=v|")),
            s_disconnect, new Expected(Reaction.Reject, (int)SessionRejectReason.InvalidTagNumber)));

    private static readonly Gen<FuzzCase> s_seqNumNotNumeric = s_letters
        .Select(v => new FuzzCase("MsgSeqNum not a number", $"34={v}",
            (s, q) => FixFrames.Frame(TestRequest(s, q).Replace($"|34={q}|", $"|34={v}|")), s_disconnect,
            new Expected(Reaction.LogoutAndClose, Text: "MsgSeqNum (34)")));

    private static readonly Gen<FuzzCase> s_quantityNotNumeric = s_letters
        .Select(v => new FuzzCase("OrderQty not a number", $"38={v}", (s, q) => FixFrames.Frame(NewOrder(s, q, "FZ-QTY", v)),
            s_disconnect, new Expected(Reaction.Reject, (int)SessionRejectReason.IncorrectDataFormat))); // not a FIX Qty: a session Reject

    private static readonly Gen<FuzzCase> s_overlongClOrdId = Gen.Int[Hft.Core.Orders.ClientOrderIdRule.MaxLength + 1, 600]
        .Select(n => new FuzzCase("ClOrdID too long", $"{n} characters", (s, q) => FixFrames.Frame(NewOrder(s, q, new string('c', n), "0.1")),
            s_disconnect, new Expected(Reaction.OrderReject, 99)));

    // Only before Logon: Logons the acceptor refuses with a reason, or cannot parse.
    private static readonly Gen<FuzzCase> s_wrongPassword = s_letters
        .Select(p => new FuzzCase("Logon with a wrong password", p,
            (s, q) => FixFrames.Frame(FixFrames.Header("A", s, q) + $"98=0|108=30|554=x{p}|"),
            new Expected(Reaction.LogoutAndClose, Text: "invalid credentials"), null));

    private static readonly Gen<FuzzCase> s_heartBtIntNotNumeric = s_letters
        .Select(v => new FuzzCase("Logon with HeartBtInt not a number", $"108={v}",
            (s, q) => FixFrames.Frame(FixFrames.Header("A", s, q) + $"98=0|108={v}|554={PreLogonPassword}|"),
            new Expected(Reaction.LogoutAndClose, Text: "HeartBtInt (108)"), null));

    private static readonly Gen<FuzzCase> s_logonTagRepeated = Gen.Const(new FuzzCase("Logon with a tag repeated", "554 twice",
        (s, q) => FixFrames.Frame(FixFrames.Header("A", s, q) + $"98=0|108=30|554={PreLogonPassword}|554={PreLogonPassword}|"), s_disconnect, null));

    private static readonly Gen<FuzzCase>[] s_anyTime =
    [
        s_noise, s_wrongChecksum, s_wrongBodyLength, s_hugeBodyLength, s_overlongMessage, s_missingSoh, s_repeatedTag, s_emptyValue,
        s_badTagNumber, s_seqNumNotNumeric, s_quantityNotNumeric, s_overlongClOrdId,
    ];

    /// <summary>A case and whether it is sent after Logon (on a logged-on session) or instead of the Logon.</summary>
    public static readonly Gen<(bool AfterLogon, FuzzCase Case)> Inputs = Gen.OneOf(
        Gen.OneOf(s_anyTime).Select(c => (true, c)),
        Gen.OneOf([.. s_anyTime, s_wrongPassword, s_heartBtIntNotNumeric, s_logonTagRepeated]).Select(c => (false, c)));
}
