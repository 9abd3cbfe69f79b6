namespace Hft.Configuration;

internal static partial class ConfigValidator
{
    /// <summary>A Raft group needs a majority that survives one loss, a journal to hold what it commits, and to know who it is.</summary>
    private static void ValidateReplication(HftConfig c, BindContext ctx)
    {
        var r = c.Replication;
        if (!r.Enabled) return;
        if (r.Peers.Count < 3 || r.Peers.Count % 2 == 0)
            throw ctx.Error("replication", "peers", $"needs an odd number of members, at least 3 (a majority must survive a loss), got {r.Peers.Count}");
        if (new HashSet<string>(r.Peers, StringComparer.OrdinalIgnoreCase).Count != r.Peers.Count)
            throw ctx.Error("replication", "peers", "lists a member twice");
        if (r.ApiUrls.Count != 0 && r.ApiUrls.Count != r.Peers.Count)
            throw ctx.Error("replication", "api_urls", $"must name one URL per peer ({r.Peers.Count}) or be empty, got {r.ApiUrls.Count}");
        if (r.NodeId >= r.Peers.Count)
            throw ctx.Error("replication", "node_id", $"must index peers (0..{r.Peers.Count - 1}), got {r.NodeId}");
        if (c.Journal.Mode == "none")
            throw ctx.Error("replication", "enabled", "needs [journal] mode sync or async: every node keeps the committed journal");
    }
}
