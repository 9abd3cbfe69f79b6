using Hft.Configuration;
using Hft.Journal;
using Hft.Node;
using Hft.Pipeline;
using Hft.Pipeline.Recovery;
using Hft.Pipeline.State;

namespace Hft.Cli.Replay;

/// <summary>
/// <c>hft replay --journal DIR</c>: recovers a server's journal offline into a fresh pipeline built from the profile
/// (instruments, accounts), exactly as the server does at start-up, and prints the state hash. A journal a running
/// server holds is not touched: a consistent copy of it (its complete records so far) is recovered instead.
/// </summary>
public static class JournalReplay
{
    public static int Run(string dir, IReadOnlyList<string> profileArgs, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(dir))
        {
            stderr.WriteLine($"hft replay: no journal directory '{dir}'");
            return 2;
        }
        if (!Commands.ProfileConfig.TryLoad(profileArgs, stderr, out var config)) return ConfigException.ExitCode;
        try
        {
            var (hash, recovery, live) = Recover(config, dir);
            if (live is not null) stderr.WriteLine($"hft replay: {live}; replayed a consistent copy of it (its complete records so far)");
            stderr.WriteLine($"hft replay: {recovery}");
            stdout.WriteLine($"{{\"ev\":\"state_hash\",\"hash\":\"{hash}\",\"records\":{recovery.RecordsReplayed},\"lastSequence\":{recovery.LastSequence}}}");
            return 0;
        }
        catch (Exception e) when (e is JournalCorruptException or DataDirectoryLockException)
        {
            stderr.WriteLine($"hft replay: {e.Message}");
            return 2;
        }
    }

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
