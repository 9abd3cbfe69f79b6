namespace Hft.Journal;

/// <summary>
/// Exclusive ownership of one data directory (a journal with its snapshots, a FIX store, a Raft log) by one process
/// while it is held: <c>hft.lock</c> in the directory, open with <see cref="FileShare.None"/> - on Linux .NET takes an
/// <c>flock(LOCK_EX)</c> on it, which conflicts with every other open of the file, in this process or another. The
/// kernel drops the lock with the process, kill -9 included, so a crash leaves no stale lock. The file itself stays:
/// deleting it while it is held would let a second holder in. Who holds it goes to <c>hft.lock.holder</c> beside it,
/// for the refusal message (another .NET process cannot read a file locked this way).
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "hft.lock";
    public const string HolderFileName = "hft.lock.holder";
    private const string HolderTempName = HolderFileName + ".tmp";

    private readonly FileStream _file;

    private DataDirectoryLock(string directory, FileStream file)
    {
        Directory = directory;
        _file = file;
    }

    /// <summary>The directory held, as a full path.</summary>
    public string Directory { get; }

    /// <summary>True for the files a lock keeps in its directory: they are not data.</summary>
    public static bool IsLockFile(string fileName) => fileName is FileName or HolderFileName or HolderTempName;

    /// <summary>The form under which two spellings of one directory compare equal.</summary>
    public static string FullPath(string directory) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));

    /// <summary>
    /// Takes the lock on <paramref name="directory"/> (created when missing) without waiting. Throws
    /// <see cref="DataDirectoryLockException"/> when another holder has it, or when it cannot be taken or enforced;
    /// <paramref name="kind"/> names the directory in that message ("journal directory").
    /// </summary>
    public static DataDirectoryLock Acquire(string directory, string kind)
    {
        string full = FullPath(directory);
        string path = Path.Combine(full, FileName);
        FileStream file;
        try
        {
            System.IO.Directory.CreateDirectory(full);
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            throw new DataDirectoryLockException($"{kind} '{full}' is in use by another process: {LockHolder.Read(full, HolderFileName)}", full, held: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataDirectoryLockException($"cannot lock {kind} '{full}': {e.Message}", full, held: false, e);
        }
        try
        {
            EnsureEnforced(path, kind, full);
            LockHolder.Write(full, HolderFileName, HolderTempName);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return new DataDirectoryLock(full, file);
    }

    /// <summary>
    /// .NET takes the lock best-effort: not at all with DOTNET_SYSTEM_IO_DISABLEFILELOCKING, nor where the file system
    /// refuses flock. Where it is in force a second open of the file in this very process is refused too (flock
    /// conflicts between open files, not between processes); where that open succeeds, nothing would keep a second
    /// server out, and running unprotected is refused.
    /// </summary>
    private static void EnsureEnforced(string path, string kind, string full)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            return;
        }
        throw new DataDirectoryLockException($"cannot lock {kind} '{full}': file locking is not in force here (DOTNET_SYSTEM_IO_DISABLEFILELOCKING "
            + "is set, or the file system does not support flock); refusing to use the directory without an exclusive lock", full, held: false);
    }

    /// <summary>The error of an open refused because the file is locked: EWOULDBLOCK from flock, or a Windows sharing violation.</summary>
    private static bool IsHeldElsewhere(IOException e)
    {
        if (e.GetType() != typeof(IOException)) return false; // FileNotFound, DirectoryNotFound, PathTooLong ...
        if (OperatingSystem.IsWindows()) return (e.HResult & 0xFFFF) is 32 or 33;
        return e.HResult == (OperatingSystem.IsLinux() ? 11 : 35);
    }

    /// <summary>Releases the lock (the file stays for the next holder).</summary>
    public void Dispose() => _file.Dispose();
}
