using Hft.Cli.Commands;
using Hft.Journal;
using Hft.Pipeline.Replication;

namespace Hft.Cli.Tests;

/// <summary>
/// <c>hft promote --data-dir</c> on a stopped DR replica's journal: records the promotion at the journal's last record
/// (a node started on it then takes order entry), says so again when run twice, and is refused while a node holds the
/// directory. The online path (--url) is exercised against a running replica in Hft.Server.Tests (DrReplicaTests).
/// </summary>
public sealed class PromoteCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hft-promote-");

    public void Dispose()
    {
        try { _dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private (int Exit, string Out, string Err) Promote(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CommandDispatcher.Run(["promote", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Offline_promotion_is_recorded_at_the_journals_last_record()
    {
        using (var journal = new JournalWriter(_dir.FullName, JournalMode.Sync, 1))
        {
            for (int i = 0; i < 3; i++) journal.Append(RecordType.Admin, [1, 2, 3]);
            journal.Flush();
            Assert.True(journal.WaitSynced(3, TimeSpan.FromSeconds(30)));
        }

        var (exit, output, error) = Promote("--data-dir", _dir.FullName);
        Assert.True(exit == 0, error);
        Assert.Contains("from journal seq 3", output, StringComparison.Ordinal);
        var record = DrPromotion.Read(_dir.FullName);
        Assert.NotNull(record);
        Assert.Equal(3, record.LastSequence);

        (exit, output, _) = Promote("--data-dir", _dir.FullName);
        Assert.Equal(0, exit);
        Assert.Contains("already promoted", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_while_a_node_holds_the_directory_and_on_bad_usage()
    {
        using (DataDirectoryLock.Acquire(_dir.FullName, "data directory"))
        {
            var (exit, _, error) = Promote("--data-dir", _dir.FullName);
            Assert.Equal(2, exit);
            Assert.Contains("--url", error, StringComparison.Ordinal);
        }
        Assert.Null(DrPromotion.Read(_dir.FullName));
        Assert.Equal(2, Promote().Exit);
        Assert.Equal(2, Promote("--data-dir", _dir.FullName, "--url", "http://127.0.0.1:1").Exit);
        Assert.Equal(2, Promote("--data-dir", Path.Combine(_dir.FullName, "missing")).Exit);
    }
}
