using System.Text;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

public class FixCodecTests
{
    private static byte[] Compose(string type, string body, long seq = 1)
    {
        var buffer = new byte[4096];
        var b = Encoding.ASCII.GetBytes(body.Replace('|', '\u0001'));
        int n = FixComposer.Compose(buffer, Encoding.ASCII.GetBytes(type), "CLIENT"u8, "HFT"u8, seq, new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc),
            false, default, b);
        return buffer[..n];
    }

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes).Replace('\u0001', '|');

    [Fact]
    public void Composed_message_has_the_standard_header_body_length_and_checksum()
    {
        var msg = Compose("0", "112=abc|");
        var text = Text(msg);
        Assert.StartsWith("8=FIX.4.4|9=", text);
        Assert.Contains("|35=0|49=CLIENT|56=HFT|34=1|52=20260102-03:04:05.678|112=abc|10=", text);
        int bodyStart = text.IndexOf("35=", StringComparison.Ordinal);
        int trailer = text.LastIndexOf("10=", StringComparison.Ordinal);
        Assert.Equal(trailer - bodyStart, int.Parse(text[12..text.IndexOf('|', 12)], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(FixFramer.Checksum(msg.AsSpan(0, trailer)).ToString("000", System.Globalization.CultureInfo.InvariantCulture), text[(trailer + 3)..(trailer + 6)]);
        Assert.Equal(FrameStatus.Complete, FixFramer.TryFrame(msg, 8192, out int consumed));
        Assert.Equal(msg.Length, consumed);
    }

    [Fact]
    public void Partial_message_needs_more()
    {
        var msg = Compose("0", "");
        for (int cut = 1; cut < msg.Length; cut++)
            Assert.Equal(FrameStatus.NeedMore, FixFramer.TryFrame(msg.AsSpan(0, cut), 8192, out _));
    }

    [Fact]
    public void Wrong_checksum_is_garbled_and_consumes_the_frame()
    {
        var msg = Compose("0", "112=abc|");
        msg[^2] = (byte)(msg[^2] == '9' ? '0' : msg[^2] + 1);
        Assert.Equal(FrameStatus.Garbled, FixFramer.TryFrame(msg, 8192, out int consumed));
        Assert.Equal(msg.Length, consumed);
    }

    [Fact]
    public void Wrong_body_length_is_garbled_and_resyncs_to_the_next_message()
    {
        var good = Compose("0", "112=abc|", seq: 2);
        var text = Text(Compose("0", "112=abc|"));
        var bad = Encoding.ASCII.GetBytes(("8=FIX.4.4|9=5" + text[text.IndexOf("|35=", StringComparison.Ordinal)..]).Replace('|', '\u0001'));
        var stream = bad.Concat(good).ToArray();
        int offset = 0;
        var statuses = new List<FrameStatus>();
        for (int i = 0; i < 10 && offset < stream.Length; i++)
        {
            var s = FixFramer.TryFrame(stream.AsSpan(offset), 8192, out int consumed);
            statuses.Add(s);
            if (s == FrameStatus.NeedMore) break;
            offset += consumed;
        }
        Assert.Equal(FrameStatus.Garbled, statuses[0]);
        Assert.Equal(FrameStatus.Complete, statuses[^1]);
        Assert.Equal(stream.Length, offset);
    }

    [Fact]
    public void Garbage_before_a_message_is_dropped()
    {
        var good = Compose("0", "");
        var stream = Encoding.ASCII.GetBytes("hello garbage \u0001 9=12").Concat(good).ToArray();
        Assert.Equal(FrameStatus.Garbled, FixFramer.TryFrame(stream, 8192, out int consumed));
        Assert.Equal(FrameStatus.Complete, FixFramer.TryFrame(stream.AsSpan(consumed), 8192, out int rest));
        Assert.Equal(stream.Length, consumed + rest);
    }

    [Fact]
    public void Oversized_and_wrong_begin_string_are_fatal()
    {
        Assert.Equal(FrameStatus.Oversized, FixFramer.TryFrame("8=FIX.4.4\u00019=99999\u000135=0"u8, 8192, out _));
        Assert.Equal(FrameStatus.WrongBeginString, FixFramer.TryFrame("8=FIX.4.2\u00019=5\u000135=0\u000110=000\u0001"u8, 8192, out _));
    }

    [Fact]
    public void Parser_reads_fields_and_refuses_duplicates_empty_values_and_bad_tags()
    {
        var m = new FixMessage();
        var msg = Compose("D", "11=A1|55=BTCUSD|54=1|");
        Assert.True(m.TryParse(msg, 0, msg.Length, out _, out _));
        Assert.Equal(FixMsgTypes.NewOrderSingle, m.MsgType);
        Assert.Equal(1, m.SeqNum);
        Assert.Equal("BTCUSD", m.GetString(FixTags.Symbol));
        Assert.Equal((byte)'1', m.GetChar(FixTags.Side));

        var dup = Compose("D", "11=A1|11=A2|");
        Assert.False(m.TryParse(dup, 0, dup.Length, out var reason, out int tag));
        Assert.Equal(SessionRejectReason.TagAppearsMoreThanOnce, reason);
        Assert.Equal(11, tag);

        var empty = Compose("D", "11=|");
        Assert.False(m.TryParse(empty, 0, empty.Length, out reason, out tag));
        Assert.Equal(SessionRejectReason.TagSpecifiedWithoutValue, reason);

        var badTag = Compose("D", "1x=3|");
        Assert.False(m.TryParse(badTag, 0, badTag.Length, out reason, out _));
        Assert.Equal(SessionRejectReason.InvalidTagNumber, reason);
    }

    [Fact]
    public void Parsing_and_composing_do_not_allocate()
    {
        var m = new FixMessage();
        var msg = Compose("D", "11=A1|55=BTCUSD|54=1|38=1.5|44=100.25|");
        var dest = new byte[4096];
        var w = new FixFieldWriter();
        m.TryParse(msg, 0, msg.Length, out _, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            FixFramer.TryFrame(msg, 8192, out _);
            m.TryParse(msg, 0, msg.Length, out _, out _);
            m.TryGetLong(FixTags.MsgSeqNum, out _);
            w.Clear();
            w.Add(FixTags.OrderId, i).Add(FixTags.ClOrdId, m.Get(FixTags.ClOrdId)).AddChar(FixTags.ExecType, (byte)'0').AddTime(FixTags.TransactTime, DateTime.UtcNow);
            FixComposer.Compose(dest, "8"u8, "HFT"u8, "CLIENT"u8, i, DateTime.UtcNow, false, default, w.Written);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Sequence_store_persists_and_refuses_a_corrupt_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hft-fix-seq-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(dir, "a.seqnums");
        try
        {
            using (var s = new FixSequenceStore(path, 0))
            {
                Assert.Equal(1, s.NextOut);
                s.NextOut = 42;
                s.NextIn = 7;
                s.Save();
            }
            using (var s = new FixSequenceStore(path, 0))
            {
                Assert.Equal(42, s.NextOut);
                Assert.Equal(7, s.NextIn);
            }
            File.WriteAllText(path, "garbage");
            var e = Assert.Throws<InvalidDataException>(() => new FixSequenceStore(path, 0));
            Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Resend_store_keeps_the_last_messages_only()
    {
        var store = new FixResendStore(4);
        for (long s = 1; s <= 6; s++) store.Add(s, "8"u8, Encoding.ASCII.GetBytes($"11=X{s}\u0001"), DateTime.UtcNow);
        Assert.False(store.TryGet(2, out _, out _, out _));
        Assert.True(store.TryGet(5, out var type, out var body, out _));
        Assert.Equal("8", Encoding.ASCII.GetString(type));
        Assert.Equal("11=X5\u0001", Encoding.ASCII.GetString(body));
    }
}
