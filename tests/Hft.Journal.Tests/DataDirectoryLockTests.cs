using System.Diagnostics;

namespace Hft.Journal.Tests;

/// <summary>
/// The data directory lock within one process: a second holder is refused (flock conflicts between open files, so
/// this holds between two holders of one process as between processes), a release frees it, several directories are
/// held all or none, and the lock's files are not data. Between real processes, and after kill -9: see
/// Hft.Server.Tests/Process/DataDirectoryLockProcessTests.
/// </summary>
public sealed class DataDirectoryLockTests
{
    [Fact]
    public void A_second_holder_is_refused_with_the_directory_and_the_holders_pid()
    {
        using var dir = new TempDir();
        using var first = DataDirectoryLock.Acquire(dir.Path, "journal directory");

        var refused = Assert.Throws<DataDirectoryLockException>(() => DataDirectoryLock.Acquire(dir.Path, "journal directory"));

        Assert.True(refused.Held);
        Assert.Equal(DataDirectoryLock.FullPath(dir.Path), refused.Directory);
        Assert.StartsWith($"journal directory '{DataDirectoryLock.FullPath(dir.Path)}' is in use by another process: pid {Environment.ProcessId} on {Environment.MachineName} (",
            refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public void Another_spelling_of_a_held_directory_is_refused_too()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("sub"));
        using var first = DataDirectoryLock.Acquire(dir.File("sub"), "journal directory");
        Assert.Throws<DataDirectoryLockException>(() => DataDirectoryLock.Acquire(dir.File("sub") + "/../sub/", "journal directory"));
    }

    [Fact]
    public void A_released_directory_can_be_held_again()
    {
        using var dir = new TempDir();
        DataDirectoryLock.Acquire(dir.Path, "journal directory").Dispose();
        using var again = DataDirectoryLock.Acquire(dir.Path, "journal directory");
        Assert.Equal(DataDirectoryLock.FullPath(dir.Path), again.Directory);
    }

    [Fact]
    public void A_missing_directory_is_created()
    {
        using var dir = new TempDir();
        string data = dir.File("data/journal");
        using var held = DataDirectoryLock.Acquire(data, "journal directory");
        Assert.True(File.Exists(Path.Combine(data, DataDirectoryLock.FileName)));
    }

    [Fact]
    public void A_holder_recorded_but_no_longer_running_is_not_named()
    {
        using var dir = new TempDir();
        int gone = ExitedProcessId();
        // Someone holds the lock without recording itself; the record left is of a process that has exited.
        using var raw = new FileStream(dir.File(DataDirectoryLock.FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        File.WriteAllText(dir.File(DataDirectoryLock.HolderFileName), $"pid {gone} on {Environment.MachineName} (hft serve), since 2026-01-01T00:00:00Z\n");

        var refused = Assert.Throws<DataDirectoryLockException>(() => DataDirectoryLock.Acquire(dir.Path, "journal directory"));

        Assert.True(refused.Held);
        Assert.Contains($"holder unknown (the last recorded one, pid {gone}, no longer runs)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_directories_are_held_all_or_none()
    {
        using var dir = new TempDir();
        string journal = dir.File("journal"), fix = dir.File("fix");
        using (var other = DataDirectoryLock.Acquire(fix, "FIX store directory"))
        {
            var refused = Assert.Throws<DataDirectoryLockException>(
                () => DataDirectoryLocks.Acquire([(journal, "journal directory"), (fix, "FIX store directory")]));
            Assert.StartsWith($"FIX store directory '{DataDirectoryLock.FullPath(fix)}'", refused.Message, StringComparison.Ordinal);
            // the journal directory, taken before the refusal, was let go again
            DataDirectoryLock.Acquire(journal, "journal directory").Dispose();
        }
        using var both = DataDirectoryLocks.Acquire([(journal, "journal directory"), (fix, "FIX store directory")]);
        Assert.Equal([DataDirectoryLock.FullPath(journal), DataDirectoryLock.FullPath(fix)], both.Directories);
        Assert.Throws<DataDirectoryLockException>(() => DataDirectoryLock.Acquire(fix, "FIX store directory"));
    }

    [Fact]
    public void A_directory_named_twice_is_held_once()
    {
        using var dir = new TempDir();
        using var held = DataDirectoryLocks.Acquire([(dir.Path, "journal directory"), (dir.Path + "/", "FIX store directory")]);
        Assert.Equal([DataDirectoryLock.FullPath(dir.Path)], held.Directories);
    }

    [Fact]
    public void The_locks_files_are_not_data()
    {
        using var dir = new TempDir();
        string data = dir.File("data");
        DataDirectoryLock.Acquire(data, "data directory").Dispose();
        Assert.True(File.Exists(Path.Combine(data, DataDirectoryLock.FileName)));
        Assert.True(File.Exists(Path.Combine(data, DataDirectoryLock.HolderFileName)));
        Assert.True(JournalBackup.IsEmptyDirectory(data));
        Assert.Empty(JournalReader.Segments(data));
        Assert.Null(SnapshotStore.LoadNewest(data).Snapshot);
    }

    /// <summary>The pid of a process that has run and exited (not reused while this test runs, in practice).</summary>
    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        Assert.True(process.WaitForExit(30_000));
        return process.Id;
    }
}
