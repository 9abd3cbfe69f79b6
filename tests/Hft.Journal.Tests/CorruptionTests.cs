using System.Buffers.Binary;

namespace Hft.Journal.Tests;

public sealed class CorruptionTests
{
    [Fact]
    public void Every_flipped_bit_in_a_middle_record_stops_reading_naming_file_and_record_offset()
    {
        using var dir = new TempDir();
        J.WriteMixed(dir.Path, 12);
        string path = Assert.Single(dir.SegmentFiles());
        byte[] original = File.ReadAllBytes(path);
        var (offset, size, seq) = J.RecordOffsets(path)[5];
        Assert.Equal(6, seq);
        var missed = new List<string>();
        for (long b = offset; b < offset + size; b++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                File.WriteAllBytes(path, original);
                J.FlipBit(path, b, bit);
                var delivered = new List<long>();
                try
                {
                    var r = JournalReader.Read(dir.Path, 0, repair: false, (in JournalRecord r) => delivered.Add(r.Sequence));
                    missed.Add($"byte {b - offset} bit {bit}: no error, {r.RecordsRead} records, warnings: {string.Join(" | ", r.Warnings)}");
                    continue;
                }
                catch (JournalCorruptException e)
                {
                    Assert.Equal(path, e.File);
                    Assert.Equal(offset, e.Offset);
                    Assert.Contains($"{path} at offset {offset}:", e.Message);
                }
                Assert.Equal([1L, 2, 3, 4, 5], delivered);
                Assert.Equal(original.Length, new FileInfo(path).Length); // nothing touched without repair
            }
        }
        Assert.Empty(missed);
    }

    [Fact]
    public void Repair_cuts_at_the_flipped_bit_and_moves_later_segments_aside()
    {
        using var dir = new TempDir();
        J.WriteOneByOne(dir.Path, 30, segmentBytes: 300);
        var files = dir.SegmentFiles();
        Assert.True(files.Length >= 5);
        string bad = files[1];
        var (offset, _, seq) = J.RecordOffsets(bad)[1];
        J.FlipBit(bad, offset + 9, 5); // in the sequence field (covered by the CRC)

        var e = Assert.Throws<JournalCorruptException>(() => J.ReadAll(dir.Path));
        Assert.Equal(bad, e.File);
        Assert.Equal(offset, e.Offset);
        Assert.Contains("checksum mismatch", e.Problem);
        Assert.Equal(files.Length, dir.SegmentFiles().Length);

        var records = J.ReadAll(dir.Path, out var result, repair: true);
        J.AssertMixed(records, 1, seq - 1);
        Assert.Equal(seq - 1, result.LastSequence);
        Assert.Contains($"repair: {Path.GetFileName(bad)} at offset {offset}: checksum mismatch; journal cut here", result.Warnings[0]);
        foreach (var later in files.Skip(2))
        {
            Assert.Contains($"repair: {Path.GetFileName(later)} moved aside as .corrupt", result.Warnings);
            Assert.False(File.Exists(later));
            Assert.True(File.Exists(later + ".corrupt"));
        }
        Assert.Equal(files.Length - 1, result.Warnings.Count);
        Assert.Equal(offset, new FileInfo(bad).Length);
        Assert.Equal(files.Take(2), dir.SegmentFiles());

        // After repair the journal reads clean and continues.
        J.WriteMixed(dir.Path, 5, first: seq);
        J.AssertMixed(J.ReadAll(dir.Path, out result), 1, seq + 4);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Flipped_bit_in_the_last_record_of_the_last_segment_is_treated_as_a_torn_tail()
    {
        // A documented choice: a bad CRC on the very last record cannot be told apart from a write torn by a crash
        // (nothing follows it), and that record was never acknowledged in sync mode, so it is truncated with a warning.
        using var dir = new TempDir();
        J.WriteMixed(dir.Path, 8);
        string path = Assert.Single(dir.SegmentFiles());
        var (offset, size, _) = J.RecordOffsets(path)[^1];
        J.FlipBit(path, offset + size - 1, 0);
        var records = J.ReadAll(dir.Path, out var result);
        J.AssertMixed(records, 1, 7);
        Assert.Contains($"torn record at offset {offset}", Assert.Single(result.Warnings));
        Assert.Contains("checksum mismatch", result.Warnings[0]);
        Assert.Equal(offset, new FileInfo(path).Length);
    }

    [Fact]
    public void Flipped_bit_in_the_last_record_of_an_earlier_segment_is_corruption()
    {
        using var dir = new TempDir();
        J.WriteOneByOne(dir.Path, 10, segmentBytes: 300);
        string first = dir.SegmentFiles()[0];
        var (offset, size, _) = J.RecordOffsets(first)[^1];
        J.FlipBit(first, offset + size - 1, 7);
        var e = Assert.Throws<JournalCorruptException>(() => J.ReadAll(dir.Path));
        Assert.Equal(first, e.File);
        Assert.Equal(offset, e.Offset);
    }

    [Fact]
    public void Missing_segment_in_the_middle_names_the_missing_records()
    {
        using var dir = new TempDir();
        J.WriteOneByOne(dir.Path, 30, segmentBytes: 300);
        var files = dir.SegmentFiles();
        var seqs = JournalReader.Segments(dir.Path).Select(s => s.FirstSequence).ToArray();
        File.Delete(files[2]);

        var e = Assert.Throws<JournalCorruptException>(() => J.ReadAll(dir.Path));
        Assert.Equal(files[3], e.File);
        Assert.Equal(0, e.Offset);
        Assert.Contains($"records {seqs[2]}..{seqs[3] - 1} are missing", e.Message);
        Assert.Contains(Path.GetFileName(files[3]), e.Message);

        var records = J.ReadAll(dir.Path, out var result, repair: true);
        J.AssertMixed(records, 1, seqs[2] - 1);
        Assert.Contains(result.Warnings, w => w.Contains($"records {seqs[2]}..{seqs[3] - 1} are missing"));
        foreach (var later in files.Skip(3))
        {
            Assert.False(File.Exists(later));
            Assert.True(File.Exists(later + ".corrupt"));
        }
        Assert.Equal(files.Take(2), dir.SegmentFiles());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bad_magic_is_corruption_naming_the_file(bool lastSegment)
    {
        using var dir = new TempDir();
        J.WriteOneByOne(dir.Path, 10, segmentBytes: 300);
        var files = dir.SegmentFiles();
        string bad = lastSegment ? files[^1] : files[0];
        J.FlipBit(bad, 0, 1);
        var e = Assert.Throws<JournalCorruptException>(() => J.ReadAll(dir.Path));
        Assert.Equal(bad, e.File);
        Assert.Equal(0, e.Offset);
        Assert.Contains("bad magic", e.Message);
        Assert.Contains(bad, e.Message);
    }

    [Fact]
    public void Unsupported_version_is_corruption_naming_the_file_and_version()
    {
        using var dir = new TempDir();
        J.WriteMixed(dir.Path, 5);
        string path = Assert.Single(dir.SegmentFiles());
        var data = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(28), Crc32C.Compute(data.AsSpan(0, 28)));
        File.WriteAllBytes(path, data);
        var e = Assert.Throws<JournalCorruptException>(() => J.ReadAll(dir.Path));
        Assert.Equal(path, e.File);
        Assert.Contains("unsupported journal format version 2 (this build reads 1)", e.Message);

        // Repair moves an unreadable segment aside as a whole.
        Assert.Empty(J.ReadAll(dir.Path, out var result, repair: true));
        Assert.True(File.Exists(path + ".corrupt"));
        Assert.Single(result.Warnings);
    }

    [Fact]
    public void Header_checksum_and_name_mismatches_are_corruption()
    {
        using var dir = new TempDir();
        J.WriteMixed(dir.Path, 5);
        string path = Assert.Single(dir.SegmentFiles());
        byte[] original = File.ReadAllBytes(path);

        J.FlipBit(path, 17, 0); // created timestamp: covered by the header CRC
        Assert.Contains("segment header checksum mismatch", Assert.Throws<JournalCorruptException>(() => J.ReadAll(dir.Path)).Message);

        File.WriteAllBytes(path, original);
        string renamed = dir.File(JournalFormat.SegmentName(2));
        File.Move(path, renamed);
        var e = Assert.Throws<JournalCorruptException>(() => J.ReadAll(dir.Path));
        Assert.Equal(renamed, e.File);
        Assert.Contains("header says first sequence 1, name says 2", e.Message);
    }

    [Fact]
    public void Unknown_record_type_with_a_valid_crc_is_corruption()
    {
        using var dir = new TempDir();
        J.WriteMixed(dir.Path, 6);
        string path = Assert.Single(dir.SegmentFiles());
        var data = File.ReadAllBytes(path);
        var (offset, size, _) = J.RecordOffsets(path)[2];
        data[offset + 24] = 99;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan((int)offset + 4), Crc32C.Compute(data.AsSpan((int)offset + 8, size - 8)));
        File.WriteAllBytes(path, data);
        var e = Assert.Throws<JournalCorruptException>(() => J.ReadAll(dir.Path));
        Assert.Equal(offset, e.Offset);
        Assert.Contains("unknown record type 99", e.Message);
    }
}
