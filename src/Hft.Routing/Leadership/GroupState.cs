using Hft.Routing.Configuration;

namespace Hft.Routing.Leadership;

/// <summary>
/// A group's nodes and the one order entry goes to. The leader is set by the poll loop (and, provisionally, by a
/// <c>not_leader</c> answer's hint); waiters are woken on every change through a replaced completion source.
/// </summary>
public sealed class GroupState
{
    private readonly object _gate = new();
    private NodeState? _leader;
    private TaskCompletionSource _changed = NewSignal();
    private int _nextRead;

    public GroupState(GroupConfig config)
    {
        Id = config.Id;
        Label = config.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Symbols = config.Symbols;
        Nodes = config.Nodes.Select((uri, i) => new NodeState(config.Id, i, uri)).ToArray();
    }

    public int Id { get; }

    /// <summary>The id as a metric label.</summary>
    public string Label { get; }

    public IReadOnlyList<string> Symbols { get; }

    public NodeState[] Nodes { get; }

    public NodeState? Leader => Volatile.Read(ref _leader);

    /// <summary>Completes at the next leader change.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate) return _changed.Task;
        }
    }

    /// <summary>Sets the leader; true when it changed (waiters are woken).</summary>
    internal bool SetLeader(NodeState? leader)
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            if (ReferenceEquals(_leader, leader)) return false;
            Volatile.Write(ref _leader, leader);
            fired = _changed;
            _changed = NewSignal();
        }
        fired.TrySetResult();
        return true;
    }

    /// <summary>The node a configured URL (a leader hint) names, or null when it is none of this group's.</summary>
    public NodeState? NodeAt(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;
        foreach (var node in Nodes)
            if (Uri.Compare(node.BaseUri, new Uri($"{uri.Scheme}://{uri.Authority}/"), UriComponents.SchemeAndServer, UriFormat.Unescaped,
                    StringComparison.OrdinalIgnoreCase) == 0) return node;
        return null;
    }

    /// <summary>The healthy nodes for a read, rotating the starting point so reads spread over leader and followers.</summary>
    public List<NodeState> ReadOrder()
    {
        int start = (int)((uint)Interlocked.Increment(ref _nextRead) % (uint)Nodes.Length);
        var list = new List<NodeState>(Nodes.Length);
        for (int i = 0; i < Nodes.Length; i++)
        {
            var n = Nodes[(start + i) % Nodes.Length];
            if (n.Healthy) list.Add(n);
        }
        return list;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
