using Hft.Configuration;
using Hft.Journal;

namespace Hft.Node;

/// <summary>
/// The directories a node writes, each of which it must hold alone (docs/DURABILITY.md, "One process per data
/// directory"): the journal with its snapshots unless the journal is off (mode none reads and writes nothing there),
/// the Raft log with replication, the FIX sessions' sequence-number store with a FIX acceptor.
/// </summary>
internal static class NodeDataDirectories
{
    public static IEnumerable<(string Directory, string Kind)> Of(HftConfig config, bool listen)
    {
        if (JournalModes.Parse(config.Journal.Mode) != JournalMode.None) yield return (config.Journal.Dir, "journal directory");
        if (config.Replication.Enabled) yield return (config.Replication.ResolveDir(config.Journal.Dir), "Raft log directory");
        if (listen && config.Gateway.FixEnabled) yield return (config.Gateway.FixStoreDir, "FIX store directory");
    }
}
