namespace Hft.Journal;

/// <summary>
/// Replication: a node whose journal diverged from its group's committed log (it holds a record the group never
/// committed) cuts its journal before the first diverging record and restarts; the log then gives it the group's
/// records from there. Nothing is deleted: what is cut goes to <c>*.diverged</c> files beside the journal.
/// </summary>
public static class JournalTruncation
{
    /// <summary>
    /// Leaves records below <paramref name="sequence"/> only: the segment holding it is cut at that record (its tail
    /// saved as <c>{segment}.diverged</c>), later segments and snapshots covering <paramref name="sequence"/> or later are
    /// renamed to <c>*.diverged</c>. Returns a line per file touched.
    /// </summary>
    public static IReadOnlyList<string> CutFrom(string dir, long sequence)
    {
        var done = new List<string>();
        foreach (var (path, first) in JournalReader.Segments(dir))
        {
            if (first >= sequence)
            {
                File.Move(path, path + ".diverged", overwrite: true);
                done.Add($"{Path.GetFileName(path)} moved aside (starts at {first})");
                continue;
            }
            byte[] data = File.ReadAllBytes(path);
            long offset = JournalReader.RecordOffset(data, sequence);
            if (offset < 0) continue; // ends before the cut
            File.WriteAllBytes(path + ".diverged", data[(int)offset..]);
            using (var f = new FileStream(path, FileMode.Open, FileAccess.Write)) f.SetLength(offset);
            done.Add($"{Path.GetFileName(path)} cut at offset {offset} (sequence {sequence}; the rest saved as .diverged)");
        }
        foreach (var (path, seq) in SnapshotStore.List(dir))
        {
            if (seq < sequence) continue;
            File.Move(path, path + ".diverged", overwrite: true);
            done.Add($"{Path.GetFileName(path)} moved aside (covers sequence {seq})");
        }
        return done;
    }
}
