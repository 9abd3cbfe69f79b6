using System.Text;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>The field checks behind session Rejects 0, 2, 5, 6, 14 and 16, on parsed messages (no socket).</summary>
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

    [Theory]
    [InlineData("35=0|49=C|56=H|34=2|52=20260101-00:00:00|", SessionRejectReason.Other, 0)]
    [InlineData("35=0|49=C|56=H|34=2|52=20260101-00:00:00|999=x|", SessionRejectReason.InvalidTagNumber, 999)]
    [InlineData("35=0|49=C|56=H|34=2|52=20260101-00:00:00|55=X|", SessionRejectReason.TagNotDefinedForMessageType, 55)]
    [InlineData("35=D|11=A|49=C|56=H|34=2|52=20260101-00:00:00|", SessionRejectReason.TagOutOfRequiredOrder, 49)]
    [InlineData("35=D|49=C|56=H|34=2|52=20260101-00:00:00|11=A|386=2|336=X|", SessionRejectReason.IncorrectNumInGroupCount, 386)]
    [InlineData("35=D|49=C|56=H|34=2|52=20260101-00:00:00|11=A|386=2|336=X|336=Y|", SessionRejectReason.Other, 0)]
    [InlineData("35=D|49=C|56=H|34=2|52=20260101-00:00:00|11=A|5001=x|", SessionRejectReason.InvalidTagNumber, 5001)]
    public void Messages_are_checked_field_by_field(string fields, SessionRejectReason expected, int tag)
    {
        var frame = FixFrames.Frame(fields);
        var m = new FixMessage();
        Assert.True(m.TryParse(frame, 0, frame.Length, out _, out _));
        bool valid = FixDictionary.TryValidate(m, out var reason, out int badTag);
        Assert.Equal((expected == SessionRejectReason.Other, expected, tag), (valid, valid ? SessionRejectReason.Other : reason, valid ? 0 : badTag));
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
            [SessionRejectReason.IncorrectNumInGroupCount] = 16, [SessionRejectReason.Other] = 99,
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
