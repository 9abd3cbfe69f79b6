namespace Hft.Journal.Tests;

/// <summary>
/// The journal side of replication without Raft: records from the log keep the leader's sequence and timestamp and
/// land on disk byte for byte as the leader wrote them; a gap or a mix with own records is refused with nothing
/// written; a replicated batch is read back from memory with its CRCs checked.
/// </summary>
public sealed class ReplicatedAppendTests
{
    private static byte[] Batch(long first, int count, out List<(long Seq, long Ts, byte[] Payload)> records)
    {
        records = new();
        var buffer = new byte[count * (JournalFormat.RecordHeaderSize + 64)];
        int length = 0;
        for (int i = 0; i < count; i++)
        {
            var payload = J.Command(first + i);
            long ts = 1_700_000_000_000_000 + i;
            length += JournalFormat.WriteRecord(buffer.AsSpan(length), first + i, ts, RecordType.Command, payload);
            records.Add((first + i, ts, payload));
        }
        return buffer[..length];
    }

    [Fact]
    public void Replicated_records_keep_the_leaders_sequence_and_timestamp()
    {
        using var dir = new TempDir();
        var batch = Batch(1, 5, out var expected);
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, 1))
        {
            Assert.Null(JournalReader.ReadBatch(batch, (in JournalRecord r) => w.AppendReplicated(r.Sequence, r.TimestampMicros, r.Type, r.Payload)));
            Assert.Equal(6, w.NextSequence);
            Assert.True(w.WaitSynced(5, TimeSpan.FromSeconds(10)));
            Assert.Equal(5, w.WrittenSequence);
        }
        var read = J.ReadAll(dir.Path);
        Assert.Equal(expected.Select(e => (e.Seq, e.Ts)), read.Select(r => (r.Sequence, r.TimestampMicros)));
        Assert.Equal(expected.Select(e => e.Payload), read.Select(r => r.Payload));
        // Byte for byte what the leader's batch held (after the segment header).
        Assert.Equal(batch, File.ReadAllBytes(dir.SegmentFiles()[0])[JournalFormat.SegmentHeaderSize..]);
    }

    [Fact]
    public void The_last_sequence_of_a_batch_comes_from_its_record_headers()
    {
        Assert.Equal(7, JournalFormat.LastSequence(Batch(3, 5, out _)));
        Assert.Equal(0, JournalFormat.LastSequence([]));
    }

    [Fact]
    public void A_journal_behind_the_groups_snapshot_is_rebased_onto_it_and_recovers_as_a_pruned_journal()
    {
        using var dir = new TempDir();
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, 1))
        {
            Assert.Null(JournalReader.ReadBatch(Batch(1, 5, out _), (in JournalRecord r) => w.AppendReplicated(r.Sequence, r.TimestampMicros, r.Type, r.Payload)));
            Assert.True(w.WaitSynced(5, TimeSpan.FromSeconds(10)));
            Assert.Throws<InvalidOperationException>(() => w.Rebase(100)); // holds records: only an empty journal rebases in place
        }
        var removed = SnapshotStore.Rebase(dir.Path, new SnapshotData { Sequence = 100, NextOrderId = 42 });
        Assert.Single(removed); // its one segment (records 1..5) is superseded
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, 1))
        {
            w.Rebase(100); // empty: continues after the snapshot
            Assert.Equal(101, w.NextSequence);
            Assert.Null(JournalReader.ReadBatch(Batch(101, 3, out _), (in JournalRecord r) => w.AppendReplicated(r.Sequence, r.TimestampMicros, r.Type, r.Payload)));
            Assert.True(w.WaitSynced(103, TimeSpan.FromSeconds(10)));
        }
        Assert.Equal(100, SnapshotStore.LoadNewest(dir.Path).Snapshot!.Sequence);
        Assert.Equal(101, JournalReader.Segments(dir.Path).Single().FirstSequence);
        Assert.Equal([101L, 102L, 103L], J.ReadAll(dir.Path).Select(r => r.Sequence));
    }

    [Fact]
    public void A_gap_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDir();
        using var w = new JournalWriter(dir.Path, JournalMode.Sync, 1);
        w.AppendReplicated(1, 10, RecordType.Command, J.Command(1));
        var e = Assert.Throws<InvalidOperationException>(() => w.AppendReplicated(3, 11, RecordType.Command, J.Command(3)));
        Assert.Contains("replicated record 3 where 2 was expected", e.Message);
        Assert.Equal(2, w.NextSequence);
        Assert.Throws<InvalidOperationException>(() => w.AppendReplicated(1, 12, RecordType.Command, J.Command(1))); // already held
        w.Dispose();
        Assert.Equal([1L], J.ReadAll(dir.Path).Select(r => r.Sequence));
    }

    [Fact]
    public void Own_and_replicated_records_never_share_a_batch()
    {
        using var dir = new TempDir();
        using var w = new JournalWriter(dir.Path, JournalMode.Sync, 1);
        var gate = new ManualResetEventSlim(false);
        // Hold the journal thread in the first batch's callback so the next appends meet in one filling batch.
        var blocker = new CallbackLog { OnCall = _ => gate.Wait(5000) };
        w.Append(RecordType.Command, J.Command(1), blocker);
        Thread.Sleep(50);
        w.Append(RecordType.Command, J.Command(2), null);
        var e = Assert.Throws<InvalidOperationException>(() => w.AppendReplicated(3, 1, RecordType.Command, J.Command(3)));
        Assert.Contains("one journal batch", e.Message);
        gate.Set();
    }

    [Theory]
    [InlineData(30, "checksum mismatch")] // a payload byte of the second record
    [InlineData(4, "checksum mismatch")] // the first record's CRC
    public void A_damaged_batch_delivers_nothing_from_the_damage_on(int flipAt, string problem)
    {
        var batch = Batch(1, 3, out _);
        int recordSize = batch.Length / 3;
        int offset = flipAt < JournalFormat.RecordHeaderSize ? flipAt : recordSize + flipAt;
        batch[offset] ^= 0x40;
        var delivered = new List<long>();
        string? result = JournalReader.ReadBatch(batch, (in JournalRecord r) => delivered.Add(r.Sequence));
        Assert.NotNull(result);
        Assert.Contains(problem, result);
        Assert.Equal(flipAt < JournalFormat.RecordHeaderSize ? [] : [1L], delivered);
    }

    [Fact]
    public void A_batch_with_a_sequence_gap_or_a_truncated_tail_is_refused()
    {
        var a = Batch(1, 2, out _);
        var b = Batch(4, 1, out _);
        var gapped = a.Concat(b).ToArray();
        var delivered = new List<long>();
        Assert.Contains("sequence 4 where 3 was expected", JournalReader.ReadBatch(gapped, (in JournalRecord r) => delivered.Add(r.Sequence)));
        Assert.Equal([1L, 2L], delivered);
        Assert.Contains("truncated", JournalReader.ReadBatch(a[..^3], (in JournalRecord _) => { }));
    }
}
