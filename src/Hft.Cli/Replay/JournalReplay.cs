using Hft.Journal;
using Hft.Server.Configuration;
using Hft.Server.Pipeline;

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
        // Read-only recovery: mode async only to trigger replay; nothing is appended, so nothing is written.
        config = config with { Journal = config.Journal with { Dir = dir, Mode = "async" } };
        try
        {
            var pipeline = new TradingPipeline(config, [new OrderDirectory(), new TradeTape()]);
            pipeline.Journal.Dispose();
            string hash = StateHash.Compute(pipeline.Instruments, pipeline.Shards.Select(s => s.Engine), pipeline.RiskBook, pipeline.Accounts.Name);
            stderr.WriteLine($"hft replay: {pipeline.Recovery}");
            stdout.WriteLine($"{{\"ev\":\"state_hash\",\"hash\":\"{hash}\",\"records\":{pipeline.Recovery.RecordsReplayed},\"lastSequence\":{pipeline.Recovery.LastSequence}}}");
            return 0;
        }
        catch (JournalCorruptException e)
        {
            stderr.WriteLine($"hft replay: {e.Message}");
            return 2;
        }
    }
}
