using System.Buffers.Binary;
using System.Text;

namespace Hft.Journal.Tests.Snapshots;

public sealed class SnapshotStoreTests
{
    private static SnapshotData Sample(long seq)
    {
        var w = new SnapshotWorld();
        w.Configure();
        w.RandomFlow((int)seq, 200);
        return w.Capture(seq);
    }

    [Fact]
    public void Format_constants_are_pinned()
    {
        Assert.Equal(0x53544648u, SnapshotFormat.Magic);
        Assert.Equal("HFTS", Encoding.ASCII.GetString(BitConverter.GetBytes(SnapshotFormat.Magic)));
        Assert.Equal(3, SnapshotFormat.Version);
        Assert.Equal(48, SnapshotFormat.HeaderSize);
        Assert.Equal("snapshot-00000000000000000042.snap", SnapshotFormat.FileName(42));
        Assert.True(SnapshotFormat.TryParseFileName("snapshot-00000000000000000042.snap", out long seq));
        Assert.Equal(42, seq);
        Assert.False(SnapshotFormat.TryParseFileName("snapshot-42.snap", out _));
        // header layout: magic, version, sequence, next order id, created, body length, body crc, header crc
        var bytes = SnapshotFormat.Encode(new SnapshotData { Sequence = 7, NextOrderId = 9, CreatedUnixMs = 11 });
        Assert.Equal("HFTS", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(7, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(9, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(11, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(bytes.Length - 48, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(48)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(0, 44)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(44)));
        // empty body: u32 instruments, u32 accounts, i64 orders
        Assert.Equal(48 + 4 + 4 + 8, bytes.Length);
    }

    [Fact]
    public void A_future_version_is_refused()
    {
        var bytes = SnapshotFormat.Encode(Sample(3));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(44), Crc32C.Compute(bytes.AsSpan(0, 44)));
        var e = Assert.Throws<SnapshotCorruptException>(() => SnapshotFormat.Decode(bytes, "x"));
        Assert.Contains("version 4", e.Message);
    }

    [Fact]
    public void Feed_halt_and_band_widening_round_trip_and_version_1_files_still_read()
    {
        var data = new SnapshotData { Sequence = 4, NextOrderId = 1, CreatedUnixMs = 1 };
        data.Instruments.Add(new SnapshotInstrument(0, "BTCUSD", new Hft.Core.Numerics.Amount(5 * Hft.Core.Numerics.Amount.One), 100, 0,
            Halted: true, FeedHalted: true, BandWidenPpm: 2_500_000));
        var back = SnapshotFormat.Decode(SnapshotFormat.Encode(data), "x").Instruments.Single();
        Assert.Equal(data.Instruments[0], back);

        // The same instrument as version 1 wrote it: flags 1 | 2, no widen field.
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(1u);
            w.Write(0);
            w.Write((ushort)6);
            w.Write("BTCUSD"u8);
            w.Write((byte)3);
            var raw = (Int128)5 * Hft.Core.Numerics.Amount.One;
            Span<byte> i128 = stackalloc byte[16];
            BinaryPrimitives.WriteInt128LittleEndian(i128, raw);
            w.Write(i128);
            w.Write(100L);
            w.Write(0L);
            w.Write(0u);
            w.Write(0L);
        }
        byte[] body = ms.ToArray();
        var file = new byte[48 + body.Length];
        body.CopyTo(file, 48);
        BinaryPrimitives.WriteUInt32LittleEndian(file, SnapshotFormat.Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(8), 4);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(32), body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(40), Crc32C.Compute(body));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(44), Crc32C.Compute(file.AsSpan(0, 44)));
        var v1 = SnapshotFormat.Decode(file, "v1").Instruments.Single();
        Assert.Equal(data.Instruments[0] with { FeedHalted = false, BandWidenPpm = 0 }, v1);
    }

    [Fact]
    public void Write_is_atomic_and_named_by_sequence()
    {
        using var dir = new TempDir();
        string path = SnapshotStore.Write(dir.Path, Sample(5));
        Assert.Equal(dir.File("snapshot-00000000000000000005.snap"), path);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        var load = SnapshotStore.LoadNewest(dir.Path);
        Assert.Equal(5, load.Snapshot!.Sequence);
        Assert.Empty(load.Warnings);
    }

    [Fact]
    public void Corrupt_newest_snapshot_falls_back_to_the_older_one_with_a_warning()
    {
        using var dir = new TempDir();
        SnapshotStore.Write(dir.Path, Sample(10));
        string newest = SnapshotStore.Write(dir.Path, Sample(20));
        J.FlipBit(newest, 200, 3);
        var load = SnapshotStore.LoadNewest(dir.Path);
        Assert.Equal(10, load.Snapshot!.Sequence);
        var warning = Assert.Single(load.Warnings);
        Assert.Contains("snapshot-00000000000000000020.snap", warning);
        Assert.Contains("falling back", warning);
    }

    [Fact]
    public void Truncated_and_empty_snapshots_are_skipped_and_none_valid_means_none()
    {
        using var dir = new TempDir();
        string a = SnapshotStore.Write(dir.Path, Sample(10));
        J.Truncate(a, 30);
        File.WriteAllBytes(dir.File(SnapshotFormat.FileName(11)), []);
        var load = SnapshotStore.LoadNewest(dir.Path);
        Assert.Null(load.Snapshot);
        Assert.Equal(2, load.Warnings.Count);
    }

    [Fact]
    public void Prune_keeps_two_snapshots_and_the_segments_the_older_one_needs()
    {
        using var dir = new TempDir();
        J.WriteOneByOne(dir.Path, 60, segmentBytes: 600); // many small segments
        var before = JournalReader.Segments(dir.Path);
        Assert.True(before.Count > 5);
        foreach (long s in new long[] { 10, 25, 40 }) SnapshotStore.Write(dir.Path, new SnapshotData { Sequence = s });
        File.WriteAllText(dir.File(SnapshotFormat.FileName(50) + ".tmp"), "half-written");
        var pruned = SnapshotStore.Prune(dir.Path);
        Assert.Equal([SnapshotFormat.FileName(10)], pruned.Snapshots);
        Assert.Equal([25L, 40L], SnapshotStore.List(dir.Path).Select(s => s.Sequence));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        var after = JournalReader.Segments(dir.Path);
        Assert.NotEmpty(pruned.Segments);
        // every record after the older kept snapshot (25) is still there, and nothing removed held one
        Assert.True(after[0].FirstSequence <= 26);
        Assert.All(pruned.Segments, name =>
        {
            int k = before.ToList().FindIndex(s => Path.GetFileName(s.Path) == name);
            Assert.True(before[k + 1].FirstSequence <= 26);
        });
        J.AssertMixed(J.ReadAll(dir.Path, out _, afterSequence: 25), 26, 60);
        Assert.Equal(before[^1].Path, after[^1].Path); // the newest segment is never pruned
    }

    [Fact]
    public void A_single_snapshot_prunes_no_segment()
    {
        using var dir = new TempDir();
        J.WriteOneByOne(dir.Path, 30, segmentBytes: 600);
        int before = JournalReader.Segments(dir.Path).Count;
        SnapshotStore.Write(dir.Path, new SnapshotData { Sequence = 25 });
        var pruned = SnapshotStore.Prune(dir.Path);
        Assert.Empty(pruned.Segments);
        Assert.Equal(before, JournalReader.Segments(dir.Path).Count);
    }

    [Fact]
    public void Reader_skips_segments_wholly_covered_by_after_sequence()
    {
        using var dir = new TempDir();
        J.WriteOneByOne(dir.Path, 60, segmentBytes: 600);
        var records = J.ReadAll(dir.Path, out var result, afterSequence: 40);
        J.AssertMixed(records, 41, 60);
        Assert.True(result.SegmentsSkipped > 0);
        Assert.Equal(60, result.LastRecordSequence);
        Assert.Equal(1, result.FirstRecordSequence);
    }
}
