namespace Hft.Routing.Leadership;

/// <summary>One configured node of a group. Its status is replaced as a whole by the poll loop and read lock-free.</summary>
public sealed class NodeState(int group, int index, Uri baseUri)
{
    private NodeStatus _status = NodeStatus.NotPolled;

    public int Group { get; } = group;

    /// <summary>Position in the group's <c>nodes</c> list (the value of <c>hft_router_group_leader</c>).</summary>
    public int Index { get; } = index;

    /// <summary>scheme://host:port/</summary>
    public Uri BaseUri { get; } = baseUri;

    /// <summary>The base URL without the trailing slash, as metrics and status show it.</summary>
    public string Name => BaseUri.AbsoluteUri.TrimEnd('/');

    public NodeStatus Status
    {
        get => Volatile.Read(ref _status);
        internal set => Volatile.Write(ref _status, value);
    }

    /// <summary>Answers polls and serves the configured group: fit for reads (leader, follower or single).</summary>
    public bool Healthy => Status is { Up: true } s && (s.Group is null || s.Group == Group);

    public override string ToString() => Name;
}
