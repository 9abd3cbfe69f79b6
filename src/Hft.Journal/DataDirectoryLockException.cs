namespace Hft.Journal;

/// <summary>
/// A data directory could not be locked: another process holds it (<see cref="HolderPid"/> when recorded), or the lock
/// could not be taken or enforced. The message is one line naming the directory.
/// </summary>
public sealed class DataDirectoryLockException : IOException
{
    public DataDirectoryLockException(string message, string directory, int? holderPid, Exception? inner = null) : base(message, inner)
    {
        Directory = directory;
        HolderPid = holderPid;
    }

    /// <summary>The directory, as a full path.</summary>
    public string Directory { get; }

    /// <summary>The process holding the lock, when it is recorded and still runs.</summary>
    public int? HolderPid { get; }
}
