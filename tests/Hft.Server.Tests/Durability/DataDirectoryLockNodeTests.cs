using Hft.Journal;
using Hft.Node;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Durability;

/// <summary>
/// Two nodes of one process on one data directory: the composition root locks the journal directory (when the journal
/// is on), the Raft log directory (with replication) and the FIX store (with a FIX acceptor) before recovery reads
/// anything, so the second node is refused and the first goes on; the directory is free once the first is disposed.
/// </summary>
public sealed class DataDirectoryLockNodeTests
{
    [Fact]
    public async Task A_second_node_on_the_journal_directory_is_refused_and_the_first_keeps_journaling()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        string hash;
        long last;
        await using (var first = PipelineHarness.Open(dir))
        {
            Assert.Equal([DataDirectoryLock.FullPath(dir)], first.LockedDirectories);
            var p = first.Pipeline;
            p.Start();
            PipelineHarness.Flow(p, 1, 200);

            var refused = Assert.Throws<DataDirectoryLockException>(() => PipelineHarness.Open(dir));
            Assert.StartsWith($"journal directory '{DataDirectoryLock.FullPath(dir)}' is in use by another process: pid {Environment.ProcessId}",
                refused.Message, StringComparison.Ordinal);

            PipelineHarness.Flow(p, 2, 200); // the first node still journals, alone
            Assert.True(p.Stop(TimeSpan.FromSeconds(10)));
            hash = PipelineHarness.Hash(p);
            last = p.Journal.Stats.LastSequence;
        }

        await using var restarted = PipelineHarness.Open(dir);
        Assert.Equal(last, restarted.Pipeline.Recovery.LastSequence);
        Assert.Equal(hash, PipelineHarness.Hash(restarted.Pipeline));
    }

    [Fact]
    public async Task The_fix_store_is_locked_even_with_the_journal_off()
    {
        using var d = new DataDir();
        string store = d.Sub("fix");
        await using var first = await ServerFixture.StartAsync(c => c with
        {
            Gateway = c.Gateway with { FixEnabled = true, FixPort = 0, FixStoreDir = store },
            Journal = c.Journal with { Mode = "none", Dir = d.Sub("journal-1") },
        });
        Assert.Equal([DataDirectoryLock.FullPath(store)], first.Server.LockedDirectories);

        var second = first.Config with
        {
            Server = first.Config.Server with { AuditLog = d.Sub("audit-2.log") },
            Journal = first.Config.Journal with { Dir = d.Sub("journal-2") },
        };
        var refused = Assert.Throws<DataDirectoryLockException>(() => TradingNode.Create(second, logging: _ => { }));
        Assert.StartsWith($"FIX store directory '{DataDirectoryLock.FullPath(store)}' is in use", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(first.Server.Fix!.EndPoint); // the first acceptor still listens
    }

    [Fact]
    public async Task With_the_journal_off_the_journal_directory_is_not_locked()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        var config = PipelineHarness.Config(dir);
        config = config with { Journal = config.Journal with { Mode = "none" } };
        await using var first = PipelineHarness.Node(config);
        await using var second = PipelineHarness.Node(config); // mode none reads and writes nothing there
        Assert.Empty(first.LockedDirectories);
        Assert.Empty(second.LockedDirectories);
    }

    [Fact]
    public async Task The_raft_log_directory_is_locked_with_replication()
    {
        using var d = new DataDir();
        string raft = d.Sub("raft");
        await using var first = PipelineHarness.Node(Replicated(d.Sub("journal-1"), raft));
        Assert.Equal([DataDirectoryLock.FullPath(d.Sub("journal-1")), DataDirectoryLock.FullPath(raft)], first.LockedDirectories);

        var refused = Assert.Throws<DataDirectoryLockException>(() => PipelineHarness.Node(Replicated(d.Sub("journal-2"), raft)));
        Assert.StartsWith($"Raft log directory '{DataDirectoryLock.FullPath(raft)}' is in use", refused.Message, StringComparison.Ordinal);
        // all or none: the second node's own journal directory was let go again
        DataDirectoryLock.Acquire(d.Sub("journal-2"), "journal directory").Dispose();
    }

    /// <summary>A replicated node's configuration (never started: no Raft member runs) with its Raft log in <paramref name="raft"/>.</summary>
    private static Hft.Configuration.HftConfig Replicated(string journal, string raft)
    {
        var config = PipelineHarness.Config(journal);
        return config with
        {
            Replication = config.Replication with { Enabled = true, NodeId = 0, Dir = raft, Peers = ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"] },
        };
    }
}
