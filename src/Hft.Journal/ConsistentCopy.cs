namespace Hft.Journal;

/// <summary>One file of a <see cref="ConsistentCopy"/>: its name, kind (<c>snapshot</c> or <c>segment</c>) and content.</summary>
public sealed record CopiedFile(string Name, string Kind, byte[] Data);

/// <summary>
/// A consistent copy of a data directory that a server may be writing meanwhile: the newest valid snapshot and every
/// journal segment that holds records after it, the segment being written cut at its last whole record. Nothing in the
/// directory is changed (shared reads only), and nothing the copy needs is pruned until two more snapshots were taken.
/// Backups pack it; replay of a live journal recovers it.
/// </summary>
public static class ConsistentCopy
{
    /// <summary>
    /// Hands each file of the copy to <paramref name="file"/>, the snapshot first, and returns the snapshot's sequence
    /// (0: none) and the last record's.
    /// </summary>
    public static (long SnapshotSequence, long LastSequence) Read(string dataDir, Action<CopiedFile> file)
    {
        if (!Directory.Exists(dataDir)) throw new DirectoryNotFoundException($"no data directory '{dataDir}'");
        var load = SnapshotStore.LoadNewest(dataDir);
        long snapSeq = load.Snapshot?.Sequence ?? 0;
        long last = snapSeq;
        if (load.Path is { } snapPath) file(new CopiedFile(Path.GetFileName(snapPath), "snapshot", File.ReadAllBytes(snapPath)));
        var segments = JournalReader.Segments(dataDir);
        for (int s = 0; s < segments.Count; s++)
        {
            // wholly covered by the snapshot: not needed
            if (s + 1 < segments.Count && segments[s + 1].FirstSequence <= snapSeq + 1) continue;
            byte[] data = ReadShared(segments[s].Path);
            string? problem = JournalReader.ScanSegment(data, out long valid, out _, out long segLast, out long records);
            bool newest = s == segments.Count - 1;
            if (problem is not null && !newest) throw new InvalidDataException($"{Path.GetFileName(segments[s].Path)}: {problem}; not copied");
            if (valid < JournalFormat.SegmentHeaderSize) continue; // a header still being written
            if (records == 0 && newest) continue;
            if (valid < data.Length) Array.Resize(ref data, (int)valid); // the segment being written: cut at its last whole record
            file(new CopiedFile(Path.GetFileName(segments[s].Path), "segment", data));
            if (records > 0) last = Math.Max(last, segLast);
        }
        return (snapSeq, last);
    }

    /// <summary>Writes the copy of <paramref name="dataDir"/> into <paramref name="target"/> (created when missing).</summary>
    public static (long SnapshotSequence, long LastSequence) WriteTo(string dataDir, string target)
    {
        Directory.CreateDirectory(target);
        return Read(dataDir, f => File.WriteAllBytes(Path.Combine(target, f.Name), f.Data));
    }

    private static byte[] ReadShared(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var ms = new MemoryStream((int)Math.Min(f.Length, int.MaxValue));
        f.CopyTo(ms);
        return ms.ToArray();
    }
}
