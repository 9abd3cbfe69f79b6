namespace Hft.Configuration;

/// <summary>
/// [replication]: a Raft group of nodes sharing one replicated journal (docs/ARCHITECTURE.md, "Replication"). Off by
/// default: a single node is its own leader.
/// </summary>
public sealed record ReplicationConfig
{
    public bool Enabled { get; init; }

    /// <summary>This node's index in <see cref="Peers"/>; -1 = the trailing ordinal of the host name (<c>hft-2</c> → 2, a StatefulSet pod).</summary>
    public int NodeId { get; init; }

    /// <summary>Raft endpoints <c>host:port</c> of every member, this node included, in the same order on every node.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>HTTP base URLs of the same members (optional): the leader hint of a <c>not_leader</c> answer.</summary>
    public IReadOnlyList<string> ApiUrls { get; init; } = [];

    /// <summary><c>majority</c>: acknowledge once a majority holds the batch; <c>leader</c>: once the leader's own log does.</summary>
    public string Ack { get; init; } = "majority";

    /// <summary>Lower bound of the election timeout; a follower waits a random time in [it, 2 × it] without a heartbeat.</summary>
    public int ElectionTimeoutMs { get; init; } = 300;

    /// <summary>
    /// The most journal batches a leader keeps in flight (appended to the Raft log, not committed yet): it hands the
    /// next batch to the log while earlier ones are being committed; while the window is full the next batch fills.
    /// </summary>
    public int MaxInFlight { get; init; } = 8;

    /// <summary>The Raft write-ahead log; empty = <c>{journal.dir}/raft</c>.</summary>
    public string Dir { get; init; } = "";

    /// <summary>A follower more than this many committed Raft entries behind is not ready (<c>/ready</c> 503): its reads are stale.</summary>
    public int MaxReadyLag { get; init; } = 1000;

    /// <summary>
    /// Committed Raft entries between snapshots of the group's state (one journal batch per entry): once this many were
    /// applied since the last one, the node writes a journal snapshot and the Raft log is compacted behind it (its
    /// periodic snapshots count too). Bounds the Raft log on disk and what a restarted member re-applies; a member the
    /// log no longer reaches is sent the snapshot. 0 = never compact (the log keeps every entry).
    /// </summary>
    public int SnapshotEntries { get; init; } = 10_000;

    /// <summary>The symbol group this Raft group serves (0..1023): its order ids start above <c>group &lt;&lt; 40</c>.</summary>
    public int Group { get; init; }

    /// <summary>Order ids of one group stay below the next group's base.</summary>
    public const int GroupIdShift = 40;

    /// <summary>The node id to use: <see cref="NodeId"/>, or the host name's trailing ordinal when it is -1 (null when there is none).</summary>
    public int? ResolveNodeId(string hostName)
    {
        if (NodeId >= 0) return NodeId;
        int dash = hostName.LastIndexOf('-');
        return dash >= 0 && int.TryParse(hostName.AsSpan(dash + 1), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out int ordinal) ? ordinal : null;
    }

    public string ResolveDir(string journalDir) => Dir.Length > 0 ? Dir : Path.Combine(journalDir, "raft");

    /// <summary>Null when <paramref name="peer"/> is <c>host:port</c> with a port in 1..65535, else what is wrong.</summary>
    public static string? PeerProblem(string peer)
    {
        int colon = peer.LastIndexOf(':');
        if (colon <= 0 || colon == peer.Length - 1) return $"\"{peer}\" is not host:port";
        if (!int.TryParse(peer.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > 65535)
            return $"\"{peer}\": port must be 1..65535";
        var host = peer[..colon].Trim('[', ']');
        return host.Length == 0 || host.Any(char.IsWhiteSpace) ? $"\"{peer}\": empty or invalid host" : null;
    }

    internal static ReplicationConfig Bind(SectionReader r, ReplicationConfig defaults)
    {
        var c = new ReplicationConfig
        {
            Enabled = r.Bool("enabled", defaults.Enabled),
            NodeId = r.Int("node_id", defaults.NodeId, -1, 63),
            Peers = r.StringList("peers", defaults.Peers),
            ApiUrls = r.StringList("api_urls", defaults.ApiUrls),
            Ack = r.String("ack", defaults.Ack),
            ElectionTimeoutMs = r.Int("election_timeout_ms", defaults.ElectionTimeoutMs, 50, 60_000),
            MaxInFlight = r.Int("max_in_flight", defaults.MaxInFlight, 1, 1024),
            Dir = r.String("dir", defaults.Dir),
            Group = r.Int("group", defaults.Group, 0, 1023),
            MaxReadyLag = r.Int("max_ready_lag", defaults.MaxReadyLag, 1, 100_000_000),
            SnapshotEntries = r.Int("snapshot_entries", defaults.SnapshotEntries, 0, 100_000_000),
        };
        if (c.SnapshotEntries is > 0 and < 100)
            throw r.Error("snapshot_entries", $"must be 0 (never compact) or at least 100 (a snapshot pauses the shards), got {c.SnapshotEntries}");
        if (c.Ack is not ("majority" or "leader")) throw r.Error("ack", $"must be \"majority\" or \"leader\", got \"{c.Ack}\"");
        foreach (var peer in c.Peers)
            if (PeerProblem(peer) is { } problem) throw r.Error("peers", problem);
        foreach (var url in c.ApiUrls)
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                throw r.Error("api_urls", $"\"{url}\" is not an http(s) URL");
        return c;
    }

    /// <summary>A Raft group needs a majority that survives one loss, and to know who it is.</summary>
    internal void Validate(BindContext ctx)
    {
        if (!Enabled) return;
        if (Peers.Count < 3 || Peers.Count % 2 == 0)
            throw ctx.Error("replication", "peers", $"needs an odd number of members, at least 3 (a majority must survive a loss), got {Peers.Count}");
        if (new HashSet<string>(Peers, StringComparer.OrdinalIgnoreCase).Count != Peers.Count)
            throw ctx.Error("replication", "peers", "lists a member twice");
        if (ApiUrls.Count != 0 && ApiUrls.Count != Peers.Count)
            throw ctx.Error("replication", "api_urls", $"must name one URL per peer ({Peers.Count}) or be empty, got {ApiUrls.Count}");
        if (NodeId >= Peers.Count)
            throw ctx.Error("replication", "node_id", $"must index peers (0..{Peers.Count - 1}), got {NodeId}");
    }
}
