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

    /// <summary>The Raft write-ahead log; empty = <c>{journal.dir}/raft</c>.</summary>
    public string Dir { get; init; } = "";

    /// <summary>A follower more than this many committed Raft entries behind is not ready (<c>/ready</c> 503): its reads are stale.</summary>
    public int MaxReadyLag { get; init; } = 1000;

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
}
