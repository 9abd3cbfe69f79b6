namespace Hft.Journal.Tests;

public sealed class SegmentTests
{
    [Fact]
    public void Segments_roll_at_the_size_and_are_named_by_their_first_sequence()
    {
        using var dir = new TempDir();
        J.WriteOneByOne(dir.Path, 40, segmentBytes: 300);

        var files = dir.SegmentFiles();
        Assert.True(files.Length >= 8, $"{files.Length} segments");
        long expectedFirst = 1;
        foreach (var path in files)
        {
            var data = File.ReadAllBytes(path);
            Assert.Null(JournalFormat.CheckSegmentHeader(data, out long headerFirst));
            var recs = J.RecordOffsets(path);
            Assert.NotEmpty(recs);
            Assert.Equal(expectedFirst, recs[0].Sequence);
            Assert.Equal(expectedFirst, headerFirst);
            Assert.Equal(JournalFormat.SegmentName(expectedFirst), Path.GetFileName(path));
            // A segment only grows past the size when a single batch would not fit in an empty one.
            Assert.True(data.Length <= 300 || recs.Count == 1, $"{Path.GetFileName(path)}: {data.Length} bytes");
            expectedFirst = recs[^1].Sequence + 1;
        }
        Assert.Equal(41, expectedFirst);

        var records = J.ReadAll(dir.Path, out var result);
        J.AssertMixed(records, 1, 40);
        Assert.Equal(files.Length, result.Segments);
        Assert.Empty(result.Warnings);

        // From the middle of a later segment too.
        J.AssertMixed(J.ReadAll(dir.Path, out _, afterSequence: 27), 28, 40);
    }

    [Fact]
    public void A_continuing_writer_appends_a_new_segment()
    {
        using var dir = new TempDir();
        J.WriteMixed(dir.Path, 25);
        J.ReadAll(dir.Path, out var first);
        Assert.Equal(25, first.LastSequence);

        J.WriteMixed(dir.Path, 10, first: first.LastSequence + 1);
        Assert.Equal([JournalFormat.SegmentName(1), JournalFormat.SegmentName(26)], dir.SegmentFiles().Select(Path.GetFileName));
        var records = J.ReadAll(dir.Path, out var result);
        J.AssertMixed(records, 1, 35);
        Assert.Equal(2, result.Segments);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_continuing_writer_with_a_wrong_next_sequence_makes_the_journal_unreadable()
    {
        // Documents that the reader, not the writer, enforces continuity: a restart that reuses sequences is caught.
        using var dir = new TempDir();
        J.WriteMixed(dir.Path, 10);
        J.WriteMixed(dir.Path, 5, first: 8);
        var e = Assert.Throws<JournalCorruptException>(() => J.ReadAll(dir.Path));
        Assert.Contains("sequence 8 repeats", e.Message);
        Assert.Contains(JournalFormat.SegmentName(8), e.Message);
    }

    [Fact]
    public void Empty_data_dir_reads_zero_records()
    {
        using var dir = new TempDir();
        var records = J.ReadAll(dir.Path, out var result, afterSequence: 0);
        Assert.Empty(records);
        Assert.Equal(0, result.RecordsRead);
        Assert.Equal(0, result.LastSequence);
        Assert.Equal(0, result.Segments);
        Assert.Empty(result.Warnings);

        // Unrelated files are ignored.
        File.WriteAllText(dir.File("README.txt"), "not a segment");
        File.WriteAllText(dir.File("journal-1.log"), "name without 20 digits");
        Assert.Empty(J.ReadAll(dir.Path, out result));
        Assert.Equal(0, result.Segments);
    }

    [Fact]
    public void Nonexistent_data_dir_reads_zero_records_and_is_not_created()
    {
        using var dir = new TempDir();
        string missing = Path.Combine(dir.Path, "no", "such", "dir");
        Assert.Empty(J.ReadAll(missing, out var result, afterSequence: 5));
        Assert.Equal(5, result.LastSequence);
        Assert.Empty(result.Warnings);
        Assert.False(Directory.Exists(missing));

        // And a writer creates it.
        J.WriteMixed(missing, 3);
        J.AssertMixed(J.ReadAll(missing), 1, 3);
    }
}
