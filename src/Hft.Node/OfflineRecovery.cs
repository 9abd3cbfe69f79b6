using Hft.Configuration;
using Hft.Journal;
using Hft.Pipeline.Recovery;
using Hft.Pipeline.State;

namespace Hft.Node;

/// <summary>
/// A journal directory recovered offline, exactly as the server recovers it at start-up, into a node that is never
/// started: the state hash and what recovery did. Used by <c>hft replay --journal</c> and the crash test.
/// </summary>
public static class OfflineRecovery
{
    /// <summary>
    /// Recovers <paramref name="dir"/> into a fresh pipeline built from <paramref name="config"/> and returns the state
    /// hash and what recovery did. A directory no one holds is locked meanwhile and recovered as at server start-up (a
    /// torn tail is truncated; nothing else is written). A directory a server holds is left alone: a
    /// <see cref="ConsistentCopy"/> of it is recovered, and <c>Live</c> says who holds it.
    /// Throws <see cref="JournalCorruptException"/> on corruption.
    /// </summary>
    public static (string Hash, RecoveryReport Recovery, string? Live) Recover(HftConfig config, string dir)
    {
        try
        {
            var (hash, recovery) = RecoverHeld(config, dir);
            return (hash, recovery, null);
        }
        catch (DataDirectoryLockException e) when (e.Held)
        {
            string copy = Path.Combine(Path.GetTempPath(), $"hft-replay-{Environment.ProcessId}-{Guid.NewGuid():N}");
            try
            {
                ConsistentCopy.WriteTo(dir, copy);
                var (hash, recovery) = RecoverHeld(config, copy);
                return (hash, recovery, e.Message);
            }
            finally
            {
                if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
            }
        }
    }

    /// <summary>Recovery of a directory this process locks meanwhile (the node's lock; refused while another holds it).</summary>
    private static (string Hash, RecoveryReport Recovery) RecoverHeld(HftConfig config, string dir)
    {
        // Read-only recovery: mode async only to trigger replay; nothing is appended, so nothing is written. The node is
        // built as the server builds it (the same composition root), without listeners, and never started: disposing it
        // closes the journal and releases the directory without a shutdown snapshot.
        config = config with { Journal = config.Journal with { Dir = dir, Mode = "async", Repair = false } };
        var node = TradingNode.Create(config, logging: _ => { }, listen: false);
        try
        {
            var pipeline = node.Pipeline;
            string hash = StateHash.Compute(pipeline.Instruments, pipeline.Shards.Select(s => s.Engine), pipeline.RiskBook, pipeline.Accounts.Name);
            return (hash, pipeline.Recovery);
        }
        finally
        {
            node.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
