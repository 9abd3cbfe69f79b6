using System.Text;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>The dictionary's field checks and the validation pass behind Rejects and Business Message Rejects, on parsed messages (no socket).</summary>
public class FixDictionaryTests
{
    [Theory]
    [InlineData("20260101-00:00:00", true)]
    [InlineData("20260101-23:59:59.999", true)]
    [InlineData("20240229-12:00:00.123456789", true)]
    [InlineData("20230229-12:00:00", false)] // not a leap year
    [InlineData("20260101-24:00:00", false)]
    [InlineData("2026010-00:00:00", false)]
    [InlineData("20260101-00:00:00.", false)]
    [InlineData("20260101 00:00:00", false)]
    [InlineData("yesterday", false)]
    public void UtcTimestamps_are_checked_to_the_date(string text, bool valid)
        => Assert.Equal(valid, FixDictionary.TryParseUtcTimestamp(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void A_timestamp_becomes_its_ticks_with_the_fraction()
    {
        Assert.True(FixDictionary.TryParseUtcTimestamp("20260102-03:04:05.067"u8, out long ticks));
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, 67, DateTimeKind.Utc).Ticks, ticks);
    }

    [Theory]
    [InlineData(38, "200", SessionRejectReason.Other)]
    [InlineData(38, "0.001", SessionRejectReason.Other)]
    [InlineData(38, "+200.00", SessionRejectReason.IncorrectDataFormat)]
    [InlineData(38, "1e3", SessionRejectReason.IncorrectDataFormat)]
    [InlineData(44, "1.2.3", SessionRejectReason.IncorrectDataFormat)]
    [InlineData(34, "-2", SessionRejectReason.IncorrectDataFormat)]
    [InlineData(43, "y", SessionRejectReason.IncorrectDataFormat)]
    [InlineData(40, "2", SessionRejectReason.Other)]
    [InlineData(40, "3", SessionRejectReason.Other)] // FIX defines it (stop): the venue answers with an ExecutionReport
    [InlineData(40, "w", SessionRejectReason.ValueIncorrect)]
    [InlineData(40, "22", SessionRejectReason.IncorrectDataFormat)]
    [InlineData(21, "4", SessionRejectReason.ValueIncorrect)]
    [InlineData(59, "0", SessionRejectReason.Other)]
    [InlineData(59, "8", SessionRejectReason.ValueIncorrect)]
    [InlineData(55, "anything", SessionRejectReason.Other)]
    public void Values_are_checked_against_type_and_enumeration(int tag, string value, SessionRejectReason expected)
        => Assert.Equal(expected, FixDictionary.CheckValue(tag, Encoding.ASCII.GetBytes(value)));

    private const string Head = "49=C|56=H|34=2|52=20260101-00:00:00|";
    private const string Order = "11=A|55=BTCUSD|54=1|60=20260101-00:00:00|38=1|40=2|44=100|";

    [Theory]
    [InlineData("35=0|" + Head, SessionRejectReason.Other, 0)]
    [InlineData("35=0|" + Head + "999=x|", SessionRejectReason.InvalidTagNumber, 999)]
    [InlineData("35=0|" + Head + "55=X|", SessionRejectReason.TagNotDefinedForMessageType, 55)]
    [InlineData("35=0|" + Head + "711=X|", SessionRejectReason.TagNotDefinedForMessageType, 711)] // FIX 4.4 defines it; no message here takes it
    [InlineData("35=D|11=A|49=C|56=H|34=2|52=20260101-00:00:00|", SessionRejectReason.TagOutOfRequiredOrder, 49)]
    [InlineData("35=D|" + Head + Order + "386=2|336=X|", SessionRejectReason.IncorrectNumInGroupCount, 386)]
    [InlineData("35=D|" + Head + Order + "386=2|336=X|336=Y|", SessionRejectReason.Other, 0)]
    [InlineData("35=D|" + Head + Order + "386=1|336=X|625=S|625=T|", SessionRejectReason.TagAppearsMoreThanOnce, 625)]
    [InlineData("35=D|" + Head + "386=1|336=X|" + Order + "59=1|59=3|", SessionRejectReason.TagAppearsMoreThanOnce, 59)]
    [InlineData("35=D|" + Head + Order + "453=1|447=D|448=P1|", SessionRejectReason.RepeatingGroupFieldsOutOfOrder, 447)]
    [InlineData("35=D|" + Head + Order + "453=2|448=P1|447=D|452=3|802=1|523=S|803=2|448=P2|", SessionRejectReason.Other, 0)]
    [InlineData("35=D|" + Head + Order + "453=1|448=P1|802=2|523=S|1=ACC|", SessionRejectReason.IncorrectNumInGroupCount, 802)]
    [InlineData("35=D|" + Head + Order + "5001=x|", SessionRejectReason.InvalidTagNumber, 5001)]
    [InlineData("35=D|" + Head + "11=A|55=BTCUSD|54=1|60=20260101-00:00:00|40=2|44=100|", SessionRejectReason.RequiredTagMissing, 38)] // the venue's one way of OrderQtyData
    [InlineData("35=D|" + Head + "11=A|54=1|60=20260101-00:00:00|38=1|40=2|44=100|", SessionRejectReason.RequiredTagMissing, 55)]
    [InlineData("35=D|" + Head + "11=A|55=BTCUSD|54=5|60=20260101-00:00:00|38=1|40=2|44=100|", SessionRejectReason.ValueIncorrect, 54)]
    [InlineData("35=D|" + Head + Order + "64=20260230|", SessionRejectReason.IncorrectDataFormat, 64)]
    [InlineData("35=D|" + Head + Order + "200=202612|1=ACC|", SessionRejectReason.Other, 0)]
    [InlineData("35=F|" + Head + "11=B|55=BTCUSD|54=1|60=20260101-00:00:00|", SessionRejectReason.RequiredTagMissing, 41)]
    [InlineData("35=1|" + Head, SessionRejectReason.RequiredTagMissing, 112)]
    public void Messages_are_checked_field_by_field(string fields, SessionRejectReason expected, int tag)
    {
        var check = Validate(fields);
        Assert.Equal(expected == SessionRejectReason.Other ? FixVerdict.Accept : FixVerdict.SessionReject, check.Verdict);
        Assert.Equal((expected, tag), (check.Verdict == FixVerdict.Accept ? SessionRejectReason.Other : check.SessionReason, check.RefTag));
    }

    [Theory]
    [InlineData("35=D|" + Head + "11=A|55=BTCUSD|54=1|60=20260101-00:00:00|38=1|40=2|", BusinessRejectReason.ConditionallyRequiredFieldMissing, 44)]
    [InlineData("35=D|" + Head + "11=A|55=BTCUSD|54=1|60=20260101-00:00:00|38=1|40=3|", BusinessRejectReason.ConditionallyRequiredFieldMissing, 99)]
    [InlineData("35=q|" + Head + "11=M|530=1|60=20260101-00:00:00|", BusinessRejectReason.ConditionallyRequiredFieldMissing, 55)]
    [InlineData("35=H|" + Head + "11=A|55=BTCUSD|54=1|", BusinessRejectReason.UnsupportedMessageType, 35)]
    [InlineData("35=8|" + Head + "37=1|17=1|150=0|39=0|55=X|54=1|151=0|14=0|6=0|", BusinessRejectReason.UnsupportedMessageType, 35)]
    [InlineData("35=AE|" + Head, BusinessRejectReason.UnsupportedMessageType, 35)]
    public void Business_level_problems_are_business_message_rejects(string fields, BusinessRejectReason expected, int tag)
    {
        var check = Validate(fields);
        Assert.Equal((FixVerdict.BusinessReject, expected, tag), (check.Verdict, check.BusinessReason, check.RefTag));
    }

    [Fact]
    public void A_malformed_msg_type_is_a_session_reject()
        => Assert.Equal((FixVerdict.SessionReject, SessionRejectReason.InvalidMsgType, 35),
            (Validate("35=D!|" + Head).Verdict, Validate("35=D!|" + Head).SessionReason, Validate("35=D!|" + Head).RefTag));

    [Fact]
    public void Agreed_custom_tags_pass_in_application_messages_only()
    {
        var agreed = new FixValidator([5001, 6000]);
        Assert.Equal(FixVerdict.Accept, Validate("35=D|" + Head + Order + "5001=x|6000=y|", agreed).Verdict);
        Assert.Equal((SessionRejectReason.InvalidTagNumber, 5002), Reason(Validate("35=D|" + Head + Order + "5002=x|", agreed)));
        Assert.Equal((SessionRejectReason.TagNotDefinedForMessageType, 5001), Reason(Validate("35=0|" + Head + "5001=x|", agreed)));
    }

    private static (SessionRejectReason, int) Reason(FixValidation v) => (v.SessionReason, v.RefTag);

    private static FixValidation Validate(string fields, FixValidator? validator = null)
    {
        var frame = FixFrames.Frame(fields);
        var m = new FixMessage();
        Assert.True(m.TryParse(frame, 0, frame.Length, out _, out _));
        return (validator ?? new FixValidator()).Validate(m);
    }

    [Fact]
    public void A_malformed_field_still_leaves_the_message_named()
    {
        var frame = FixFrames.Frame("35=D|34=7|49=C|56=H|52=20260101-00:00:00|115=|40=1|40=2|");
        var m = new FixMessage();
        Assert.False(m.TryParse(frame, 0, frame.Length, out var reason, out int tag));
        Assert.Equal((SessionRejectReason.TagSpecifiedWithoutValue, 115, 7L, (byte)'D', false), (reason, tag, m.SeqNum, m.MsgType, m.Garbled));
    }

    [Fact]
    public void Session_reject_reasons_keep_their_fix_codes()
    {
        var codes = new Dictionary<SessionRejectReason, int>
        {
            [SessionRejectReason.InvalidTagNumber] = 0, [SessionRejectReason.RequiredTagMissing] = 1,
            [SessionRejectReason.TagNotDefinedForMessageType] = 2, [SessionRejectReason.UndefinedTag] = 3,
            [SessionRejectReason.TagSpecifiedWithoutValue] = 4, [SessionRejectReason.ValueIncorrect] = 5,
            [SessionRejectReason.IncorrectDataFormat] = 6, [SessionRejectReason.CompIdProblem] = 9,
            [SessionRejectReason.SendingTimeAccuracyProblem] = 10, [SessionRejectReason.InvalidMsgType] = 11,
            [SessionRejectReason.TagAppearsMoreThanOnce] = 13, [SessionRejectReason.TagOutOfRequiredOrder] = 14,
            [SessionRejectReason.RepeatingGroupFieldsOutOfOrder] = 15, [SessionRejectReason.IncorrectNumInGroupCount] = 16, [SessionRejectReason.Other] = 99,
        };
        Assert.Equal(codes.Count, Enum.GetValues<SessionRejectReason>().Length);
        foreach (var (reason, code) in codes) Assert.Equal(code, (int)reason);
    }

    [Fact]
    public void MsgType_not_third_is_garbled()
    {
        var frame = FixFrames.Frame("34=3|35=0|49=C|56=H|52=20260101-00:00:00|");
        var m = new FixMessage();
        Assert.False(m.TryParse(frame, 0, frame.Length, out _, out _));
        Assert.True(m.Garbled);
    }
}
