using Hft.Configuration;
using Hft.Journal;
using Hft.Node;

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
            var (hash, recovery, live) = OfflineRecovery.Recover(config, dir);
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
}
