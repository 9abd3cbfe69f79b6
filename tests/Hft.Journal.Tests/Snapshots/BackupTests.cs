using System.Formats.Tar;
using System.IO.Compression;

namespace Hft.Journal.Tests.Snapshots;

public sealed class BackupTests
{
    /// <summary>A data dir: journal 1..80 in small segments, snapshots at 30 and 50, pruned.</summary>
    private static void Populate(string dir)
    {
        J.WriteOneByOne(dir, 80, segmentBytes: 700);
        SnapshotStore.Write(dir, new SnapshotData { Sequence = 30 });
        var w = new SnapshotWorld();
        w.RandomFlow(1, 300);
        SnapshotStore.Write(dir, w.Capture(50));
    }

    [Fact]
    public void Backup_holds_the_newest_snapshot_and_the_segments_after_it_and_verifies()
    {
        using var data = new TempDir();
        using var outDir = new TempDir();
        Populate(data.Path);
        string file = outDir.File("b.tar.gz");
        var manifest = JournalBackup.Create(data.Path, file);
        Assert.Equal(50, manifest.SnapshotSequence);
        Assert.Equal(80, manifest.LastSequence);
        Assert.Equal("snapshot", manifest.Files[0].Kind);
        Assert.DoesNotContain(manifest.Files, f => f.Name == SnapshotFormat.FileName(30));
        var v = JournalBackup.Verify(file);
        Assert.True(v.Ok, v.ToString());
        Assert.Equal(50, v.SnapshotSequence);
        Assert.Equal(80, v.LastSequence);
        Assert.True(v.FirstSequence <= 51);
    }

    [Fact]
    public void Restore_into_an_empty_dir_gives_the_same_snapshot_and_journal_tail()
    {
        using var data = new TempDir();
        using var outDir = new TempDir();
        Populate(data.Path);
        string file = outDir.File("b.tar.gz");
        JournalBackup.Create(data.Path, file);
        string target = outDir.File("restored");
        Assert.True(JournalBackup.Restore(file, target, force: false).Ok);
        Assert.Equal(50, SnapshotStore.LoadNewest(target).Snapshot!.Sequence);
        Assert.Equal(File.ReadAllBytes(Path.Combine(data.Path, SnapshotFormat.FileName(50))), File.ReadAllBytes(Path.Combine(target, SnapshotFormat.FileName(50))));
        J.AssertMixed(J.ReadAll(target, out _, afterSequence: 50), 51, 80);
    }

    [Fact]
    public void Restore_refuses_a_non_empty_dir_without_force()
    {
        using var data = new TempDir();
        using var outDir = new TempDir();
        Populate(data.Path);
        string file = outDir.File("b.tar.gz");
        JournalBackup.Create(data.Path, file);
        string target = outDir.File("busy");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "journal-00000000000000000001.log"), "something");
        File.WriteAllText(Path.Combine(target, "notes.txt"), "keep me");
        var e = Assert.Throws<InvalidOperationException>(() => JournalBackup.Restore(file, target, force: false));
        Assert.Contains("--force", e.Message);
        Assert.Equal("something", File.ReadAllText(Path.Combine(target, "journal-00000000000000000001.log")));
        Assert.True(JournalBackup.Restore(file, target, force: true).Ok);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(target, "notes.txt")));
        J.AssertMixed(J.ReadAll(target, out _, afterSequence: 50), 51, 80);
    }

    [Fact]
    public void Restore_refuses_a_directory_another_holder_has_even_with_force_and_leaves_it_untouched()
    {
        using var data = new TempDir();
        using var outDir = new TempDir();
        Populate(data.Path);
        string file = outDir.File("b.tar.gz");
        JournalBackup.Create(data.Path, file);
        string target = outDir.File("live");
        Directory.CreateDirectory(target);
        string segment = Path.Combine(target, "journal-00000000000000000001.log");
        File.WriteAllText(segment, "a running server's journal");
        using (DataDirectoryLock.Acquire(target, "journal directory")) // as a running server holds it
        {
            var e = Assert.Throws<DataDirectoryLockException>(() => JournalBackup.Restore(file, target, force: true));
            Assert.StartsWith($"data directory '{DataDirectoryLock.FullPath(target)}' is in use by another process: pid {Environment.ProcessId} on ",
                e.Message, StringComparison.Ordinal);
            Assert.Equal("a running server's journal", File.ReadAllText(segment));
        }
        Assert.True(JournalBackup.Restore(file, target, force: true).Ok); // the server gone, the restore goes ahead
        J.AssertMixed(J.ReadAll(target, out _, afterSequence: 50), 51, 80);
    }

    [Fact]
    public void Verify_detects_a_flipped_byte_in_a_file_and_restore_then_refuses()
    {
        using var data = new TempDir();
        using var outDir = new TempDir();
        Populate(data.Path);
        string file = outDir.File("b.tar.gz");
        JournalBackup.Create(data.Path, file);
        // rewrite the archive with one byte of the last segment flipped (the gzip layer would catch a raw flip anyway)
        string bad = outDir.File("bad.tar.gz");
        Rewrite(file, bad, (name, bytes) =>
        {
            if (name.StartsWith("journal-", StringComparison.Ordinal)) bytes[bytes.Length - 3] ^= 0x10;
        });
        var v = JournalBackup.Verify(bad);
        Assert.False(v.Ok);
        Assert.Contains(v.Problems, p => p.Contains("SHA-256 mismatch", StringComparison.Ordinal));
        Assert.Contains(v.Problems, p => p.Contains("checksum mismatch", StringComparison.Ordinal));
        string target = outDir.File("r");
        Assert.False(JournalBackup.Restore(bad, target, force: false).Ok);
        Assert.True(JournalBackup.IsEmptyDirectory(target));

        // and a raw flipped byte in the compressed file is caught too - unless it lands in bits deflate ignores (the
        // padding before a stored block), which leave the content intact: such a position is skipped.
        string raw = outDir.File("raw.tar.gz");
        byte[] original = File.ReadAllBytes(file);
        byte[] content = Inflate(original)!;
        int flipped = 0;
        for (int at = original.Length / 2; at < original.Length - 8 && flipped < 3; at += 97)
        {
            var bytesRaw = (byte[])original.Clone();
            bytesRaw[at] ^= 0x01;
            if (Inflate(bytesRaw) is { } inflated && inflated.AsSpan().SequenceEqual(content)) continue;
            File.WriteAllBytes(raw, bytesRaw);
            Assert.False(JournalBackup.Verify(raw).Ok, $"a flipped bit at offset {at} of {original.Length} went unnoticed");
            flipped++;
        }
        Assert.Equal(3, flipped);
    }

    /// <summary>The archive's uncompressed bytes; null when it does not inflate.</summary>
    private static byte[]? Inflate(byte[] gzip)
    {
        try
        {
            using var gz = new System.IO.Compression.GZipStream(new MemoryStream(gzip), System.IO.Compression.CompressionMode.Decompress);
            var ms = new MemoryStream();
            gz.CopyTo(ms);
            return ms.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    [Fact]
    public void Verify_detects_a_missing_segment()
    {
        using var data = new TempDir();
        using var outDir = new TempDir();
        Populate(data.Path);
        string file = outDir.File("b.tar.gz");
        var manifest = JournalBackup.Create(data.Path, file);
        string middle = manifest.Files.Where(f => f.Kind == "segment").ElementAt(1).Name;
        string bad = outDir.File("bad.tar.gz");
        Rewrite(file, bad, (_, _) => { }, skip: middle);
        var v = JournalBackup.Verify(bad);
        Assert.False(v.Ok);
        Assert.Contains(v.Problems, p => p.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Backup_of_the_segment_being_written_stops_at_its_last_whole_record()
    {
        using var data = new TempDir();
        using var outDir = new TempDir();
        J.WriteMixed(data.Path, 20);
        string seg = JournalReader.Segments(data.Path)[^1].Path;
        using (var f = new FileStream(seg, FileMode.Append)) f.Write(new byte[] { 9, 0, 0, 0, 1, 2 }); // a record half written
        string file = outDir.File("b.tar.gz");
        var manifest = JournalBackup.Create(data.Path, file);
        Assert.Equal(0, manifest.SnapshotSequence);
        Assert.Equal(20, manifest.LastSequence);
        Assert.True(JournalBackup.Verify(file).Ok);
    }

    private static void Rewrite(string from, string to, Action<string, byte[]> change, string? skip = null)
    {
        using var input = File.OpenRead(from);
        using var gzIn = new GZipStream(input, CompressionMode.Decompress);
        using var reader = new TarReader(gzIn);
        using var output = File.Create(to);
        using var gzOut = new GZipStream(output, CompressionLevel.Fastest);
        using var writer = new TarWriter(gzOut, TarEntryFormat.Pax);
        while (reader.GetNextEntry() is { } e)
        {
            if (e.Name == skip) continue;
            var ms = new MemoryStream();
            e.DataStream!.CopyTo(ms);
            var bytes = ms.ToArray();
            change(e.Name, bytes);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, e.Name) { DataStream = new MemoryStream(bytes) });
        }
    }
}
