using System.Text;

namespace Hft.Journal.Tests;

/// <summary>
/// What is on disk must never change silently: record types are append-only, the header is versioned, and the
/// layout of a segment header and of a record is pinned byte for byte.
/// </summary>
public sealed class PinnedFormatTests
{
    [Fact]
    public void Record_type_values_are_append_only()
    {
        Assert.Equal(1, (byte)RecordType.Command);
        Assert.Equal(2, (byte)RecordType.Admin);
        // A new type must be added here with a new value; an existing one is never renumbered or reused.
        Assert.Equal(["Command", "Admin"], Enum.GetNames<RecordType>());
        Assert.Equal(typeof(byte), Enum.GetUnderlyingType(typeof(RecordType)));
    }

    [Fact]
    public void Journal_mode_values_are_pinned()
    {
        Assert.Equal(0, (byte)JournalMode.None);
        Assert.Equal(1, (byte)JournalMode.Sync);
        Assert.Equal(2, (byte)JournalMode.Async);
    }

    [Fact]
    public void Format_constants_are_pinned()
    {
        Assert.Equal(0x4A544648u, JournalFormat.Magic);
        Assert.Equal("HFTJ", Encoding.ASCII.GetString(BitConverter.GetBytes(JournalFormat.Magic)));
        Assert.Equal(1, JournalFormat.Version);
        Assert.Equal(32, JournalFormat.SegmentHeaderSize);
        Assert.Equal(25, JournalFormat.RecordHeaderSize);
        Assert.Equal(1 << 20, JournalFormat.MaxPayload);
        Assert.Equal(48, CommandCodec.Size);
        Assert.Equal("journal-00000000000000000001.log", JournalFormat.SegmentName(1));
        Assert.Equal("journal-09223372036854775807.log", JournalFormat.SegmentName(long.MaxValue));
        Assert.True(JournalFormat.TryParseSegmentName("journal-00000000000000012345.log", out long seq));
        Assert.Equal(12345, seq);
        Assert.False(JournalFormat.TryParseSegmentName("journal-12345.log", out _));
        Assert.False(JournalFormat.TryParseSegmentName("journal-00000000000000012345.log.corrupt", out _));
        Assert.False(JournalFormat.TryParseSegmentName("journal-+0000000000000012345.log", out _));
    }

    [Fact]
    public void Segment_header_layout_is_pinned()
    {
        var h = new byte[JournalFormat.SegmentHeaderSize];
        JournalFormat.WriteSegmentHeader(h, 0x0102030405060708, 0x1122334455667788);
        string hex = Convert.ToHexString(h);
        Assert.Equal("4846544A" + "0100" + "0000" + "0807060504030201" + "8877665544332211" + "00000000", hex[..56]);
        Assert.Equal(Crc32C.Compute(h.AsSpan(0, 28)), BitConverter.ToUInt32(h, 28));
        Assert.Null(JournalFormat.CheckSegmentHeader(h, out long first));
        Assert.Equal(0x0102030405060708, first);
    }

    [Fact]
    public void Record_layout_is_pinned()
    {
        var buf = new byte[JournalFormat.RecordHeaderSize + 3];
        int size = JournalFormat.WriteRecord(buf, 0x0102030405060708, 0x1122334455667788, RecordType.Admin, [0xAA, 0xBB, 0xCC]);
        Assert.Equal(28, size);
        string hex = Convert.ToHexString(buf);
        Assert.Equal("03000000", hex[..8]); // payload length
        Assert.Equal("0807060504030201" + "8877665544332211" + "02" + "AABBCC", hex[16..]); // sequence, timestamp, type, payload
        Assert.Equal(Crc32C.Compute(buf.AsSpan(8)), BitConverter.ToUInt32(buf, 4)); // crc of everything after the crc field
        Assert.Equal("C9701202", hex[8..16]); // checked against a bitwise CRC-32C (poly 0x82F63B78)
    }

    [Theory]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    public void Crc32c_known_vectors(string text, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Crc32c_rfc3720_vectors_and_incremental_append()
    {
        // RFC 3720 (iSCSI) appendix B.4.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));

        var data = Enumerable.Range(0, 100).Select(i => (byte)(i * 7)).ToArray();
        for (int split = 0; split <= data.Length; split++)
            Assert.Equal(Crc32C.Compute(data), ~Crc32C.Append(Crc32C.Append(0xFFFFFFFFu, data.AsSpan(0, split)), data.AsSpan(split)));
    }
}
