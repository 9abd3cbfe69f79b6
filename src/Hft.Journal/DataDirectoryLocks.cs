namespace Hft.Journal;

/// <summary>
/// The data directories one process holds together (journal, Raft log, FIX store): all of them or none. A directory
/// named twice (the FIX store set to the journal directory, say) is locked once.
/// </summary>
public sealed class DataDirectoryLocks : IDisposable
{
    private static readonly StringComparer s_paths = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
    private readonly List<DataDirectoryLock> _held;

    private DataDirectoryLocks(List<DataDirectoryLock> held) => _held = held;

    /// <summary>The directories held, as full paths, in the order they were locked.</summary>
    public IReadOnlyList<string> Directories => _held.Select(h => h.Directory).ToList();

    /// <summary>Locks every directory in order; on the first refusal releases those already taken and throws it.</summary>
    public static DataDirectoryLocks Acquire(IEnumerable<(string Directory, string Kind)> directories)
    {
        var held = new List<DataDirectoryLock>();
        try
        {
            foreach (var (directory, kind) in directories)
            {
                string full = DataDirectoryLock.FullPath(directory);
                if (held.Any(h => s_paths.Equals(h.Directory, full))) continue;
                held.Add(DataDirectoryLock.Acquire(full, kind));
            }
        }
        catch
        {
            Release(held);
            throw;
        }
        return new DataDirectoryLocks(held);
    }

    public void Dispose() => Release(_held);

    private static void Release(List<DataDirectoryLock> held)
    {
        for (int i = held.Count - 1; i >= 0; i--) held[i].Dispose();
        held.Clear();
    }
}
