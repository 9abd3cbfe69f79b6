namespace Hft.Journal.Tests;

/// <summary>A crash mid-write leaves a prefix of the last batch: recovery keeps every complete record and cuts the rest.</summary>
public sealed class TornWriteTests
{
    [Fact]
    public void Last_record_torn_at_every_byte_is_truncated_with_a_warning()
    {
        using var dir = new TempDir();
        J.WriteMixed(dir.Path, 21); // record 21 is an admin record with a payload; 20 is a command
        string path = Assert.Single(dir.SegmentFiles());
        byte[] original = File.ReadAllBytes(path);
        var (offset, size, seq) = J.RecordOffsets(path)[^1];
        Assert.Equal(21, seq);
        Assert.Equal(original.Length, offset + size);

        // Every cut strictly inside the record: inside its header (1..24 bytes) and inside its payload.
        for (long cut = offset + 1; cut < offset + size; cut++)
        {
            File.WriteAllBytes(path, original.AsSpan(0, (int)cut).ToArray());
            var records = J.ReadAll(dir.Path, out var result);
            J.AssertMixed(records, 1, 20);
            Assert.Equal(20, result.LastSequence);
            string warning = Assert.Single(result.Warnings);
            Assert.Contains(Path.GetFileName(path), warning);
            Assert.Contains($"torn record at offset {offset}", warning);
            Assert.Contains(cut - offset < JournalFormat.RecordHeaderSize ? "record header truncated" : "record truncated", warning);
            Assert.Equal(offset, new FileInfo(path).Length);

            // The repaired file reads clean the second time.
            J.AssertMixed(J.ReadAll(dir.Path, out result), 1, 20);
            Assert.Empty(result.Warnings);
        }

        // A cut exactly at a record boundary is no tear at all.
        File.WriteAllBytes(path, original.AsSpan(0, (int)offset).ToArray());
        J.AssertMixed(J.ReadAll(dir.Path, out var clean), 1, 20);
        Assert.Empty(clean.Warnings);
    }

    [Fact]
    public void Torn_batch_keeps_every_complete_record_before_the_cut()
    {
        using var dir = new TempDir();
        J.WriteOneByOne(dir.Path, 30, segmentBytes: 1000);
        string path = dir.SegmentFiles()[^1];
        byte[] original = File.ReadAllBytes(path);
        var recs = J.RecordOffsets(path);
        Assert.True(recs.Count >= 3);
        long firstInLast = recs[0].Sequence;
        for (long cut = JournalFormat.SegmentHeaderSize + 1; cut < original.Length; cut++)
        {
            File.WriteAllBytes(path, original.AsSpan(0, (int)cut).ToArray());
            var records = J.ReadAll(dir.Path, out var result);
            var complete = recs.Where(r => r.Offset + r.Size <= cut).ToList();
            long last = complete.Count > 0 ? complete[^1].Sequence : firstInLast - 1;
            J.AssertMixed(records, 1, last);
            long goodEnd = complete.Count > 0 ? complete[^1].Offset + complete[^1].Size : JournalFormat.SegmentHeaderSize;
            Assert.Equal(goodEnd, new FileInfo(path).Length);
            Assert.Equal(goodEnd == cut ? 0 : 1, result.Warnings.Count);
        }
    }

    [Fact]
    public void Torn_segment_header_of_a_fresh_last_segment_is_removed()
    {
        using var dir = new TempDir();
        J.WriteMixed(dir.Path, 10);
        var header = new byte[JournalFormat.SegmentHeaderSize];
        JournalFormat.WriteSegmentHeader(header, 11, 0);
        string fresh = dir.File(JournalFormat.SegmentName(11));
        for (int len = 0; len < JournalFormat.SegmentHeaderSize; len++)
        {
            File.WriteAllBytes(fresh, header.AsSpan(0, len).ToArray());
            var records = J.ReadAll(dir.Path, out var result);
            J.AssertMixed(records, 1, 10);
            string warning = Assert.Single(result.Warnings);
            Assert.Contains($"{JournalFormat.SegmentName(11)}: segment header torn ({len} bytes); removed", warning);
            Assert.False(File.Exists(fresh));
        }

        // And the journal continues from there.
        J.WriteMixed(dir.Path, 5, first: 11);
        J.AssertMixed(J.ReadAll(dir.Path), 1, 15);
    }

    [Fact]
    public void Writer_continues_after_a_last_segment_left_with_no_records()
    {
        // A crash right after a new segment's header was written (or recovery tearing off its only record) leaves a
        // segment that holds no record; its name is the next sequence, which the continuing writer needs.
        using var dir = new TempDir();
        J.WriteOneByOne(dir.Path, 6, segmentBytes: 150);
        string last = dir.SegmentFiles()[^1];
        var recs = J.RecordOffsets(last);
        Assert.Single(recs);
        J.Truncate(last, recs[0].Offset + 10);

        J.ReadAll(dir.Path, out var result);
        Assert.Single(result.Warnings);
        Assert.Equal(JournalFormat.SegmentHeaderSize, new FileInfo(last).Length);
        Assert.Equal(recs[0].Sequence - 1, result.LastSequence);

        var cb = new CallbackLog();
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, result.LastSequence + 1))
        {
            for (long i = result.LastSequence + 1; i <= 10; i++)
            {
                var (t, p) = J.Mixed(i);
                w.Append(t, p, cb);
            }
            cb.WaitFor((int)(10 - result.LastSequence));
            Assert.Null(w.Failure);
        }
        Assert.DoesNotContain(-1L, cb.Calls);
        J.AssertMixed(J.ReadAll(dir.Path, out result), 1, 10);
        Assert.Empty(result.Warnings);
    }
}
