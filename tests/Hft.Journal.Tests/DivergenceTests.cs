namespace Hft.Journal.Tests;

/// <summary>
/// What replication uses to find and repair a journal that diverged from the group's: record fingerprints (the stored
/// CRC) for the last records, and cutting the journal before a sequence with everything cut kept aside.
/// </summary>
public sealed class DivergenceTests
{
    [Fact]
    public void The_writer_knows_the_fingerprint_of_each_recent_record_and_the_reader_reports_the_same()
    {
        using var dir = new TempDir();
        var crcs = new Dictionary<long, uint>();
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, 1))
        {
            for (int i = 1; i <= 5; i++) w.Append(RecordType.Command, J.Command(i), null);
            Assert.True(w.WaitSynced(5, TimeSpan.FromSeconds(10)));
            JournalReader.Read(dir.Path, 0, false, (in JournalRecord r) => crcs[r.Sequence] = r.Crc);
            foreach (var (seq, crc) in crcs)
            {
                Assert.True(w.HoldsSame(seq, crc));
                Assert.False(w.HoldsSame(seq, crc ^ 1)); // another record at that sequence
            }
            Assert.True(w.HoldsSame(6, 123)); // not held yet: nothing to compare
        }
        // A writer opened after recovery knows nothing until recovery seeds it.
        using var reopened = new JournalWriter(dir.Path, JournalMode.Sync, 6);
        Assert.True(reopened.HoldsSame(3, crcs[3] ^ 1));
        reopened.SeedFingerprint(3, crcs[3]);
        Assert.False(reopened.HoldsSame(3, crcs[3] ^ 1));
        Assert.True(reopened.HoldsSame(3, crcs[3]));
    }

    [Fact]
    public void Cutting_keeps_the_records_before_the_sequence_and_sets_the_rest_aside()
    {
        using var dir = new TempDir();
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, 1, segmentBytes: 256))
        {
            for (int i = 1; i <= 12; i++)
            {
                w.Append(RecordType.Command, J.Command(i), null);
                Assert.True(w.WaitSynced(i, TimeSpan.FromSeconds(10))); // one batch each: several segments
            }
        }
        Assert.True(dir.SegmentFiles().Length >= 3);
        var done = JournalTruncation.CutFrom(dir.Path, 7);
        Assert.NotEmpty(done);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), J.ReadAll(dir.Path).Select(r => r.Sequence));
        Assert.NotEmpty(Directory.GetFiles(dir.Path, "*.diverged"));
        // The journal goes on from the cut: appending 7 again works and reads back in order.
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, 7))
        {
            w.Append(RecordType.Admin, [7, 7], null);
            Assert.True(w.WaitSynced(7, TimeSpan.FromSeconds(10)));
        }
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), J.ReadAll(dir.Path).Select(r => r.Sequence));
    }

    [Fact]
    public void Cutting_beyond_the_end_changes_nothing()
    {
        using var dir = new TempDir();
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, 1))
        {
            for (int i = 1; i <= 3; i++) w.Append(RecordType.Command, J.Command(i), null);
            Assert.True(w.WaitSynced(3, TimeSpan.FromSeconds(10)));
        }
        Assert.Empty(JournalTruncation.CutFrom(dir.Path, 10));
        Assert.Equal([1L, 2L, 3L], J.ReadAll(dir.Path).Select(r => r.Sequence));
    }
}
