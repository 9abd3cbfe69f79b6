using Hft.Configuration;
using Hft.Journal;
using Hft.Node;
using Hft.Pipeline;
using Hft.Pipeline.Recovery;
using Hft.Pipeline.State;

namespace Hft.Cli.Replay;

/// <summary>
/// <c>hft replay --journal DIR</c>: recovers a server's journal offline into a fresh pipeline built from the profile
/// (instruments, accounts), exactly as the server does at start-up, and prints the state hash. Nothing is written.
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
            var (hash, recovery) = Recover(config, dir);
            stderr.WriteLine($"hft replay: {recovery}");
            stdout.WriteLine($"{{\"ev\":\"state_hash\",\"hash\":\"{hash}\",\"records\":{recovery.RecordsReplayed},\"lastSequence\":{recovery.LastSequence}}}");
            return 0;
        }
        catch (JournalCorruptException e)
        {
            stderr.WriteLine($"hft replay: {e.Message}");
            return 2;
        }
        catch (DataDirectoryLockException e)
        {
            stderr.WriteLine($"hft replay: {e.Message}; replay a copy (hft backup --url, then hft restore into another directory) or stop the server");
            return 2;
        }
    }

    /// <summary>
    /// Recovers <paramref name="dir"/> into a fresh pipeline built from <paramref name="config"/> and returns the state
    /// hash and what recovery did. A torn tail is truncated as at server start-up; nothing else is written. The
    /// directory is locked meanwhile, as by a server. Throws <see cref="JournalCorruptException"/> on corruption and
    /// <see cref="DataDirectoryLockException"/> while another process holds the directory.
    /// </summary>
    public static (string Hash, RecoveryReport Recovery) Recover(HftConfig config, string dir)
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
