using System.Net;
using System.Text.Json;
using Hft.Routing.Configuration;
using Hft.Routing.Operations;
using Microsoft.Extensions.Logging;

namespace Hft.Routing.Leadership;

/// <summary>
/// Knows the leader of every group: polls each node's <c>GET /replication/status</c> every <c>leader_poll_ms</c>
/// (all nodes in parallel, each poll bounded by a timeout) and elects per group the node reporting <c>leader</c>
/// (highest term if several do, e.g. a deposed leader that has not noticed yet), or the node reporting <c>single</c>
/// when the group has exactly one node. A node that reports another group than configured is not used at all.
/// A node without <c>/replication/status</c> (404: a server predating replication) counts as <c>single</c> when its
/// <c>GET /ready</c> answers 200. A refusal seen by a request (<see cref="OnRefused"/>) drops that leader and polls at once;
/// while a request waits for a leader, polls run every <see cref="FailoverPollMs"/> (failover is noticed fast even with a
/// long leader_poll_ms).
/// </summary>
public sealed class LeaderTracker : IAsyncDisposable
{
    /// <summary>Largest status body read from a node.</summary>
    public const int MaxStatusBytes = 64 * 1024;

    private readonly RoutingConfig _config;
    private readonly RouterMetrics _metrics;
    private readonly ILogger _log;
    private readonly HttpClient _http;
    private readonly TimeSpan _pollTimeout;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private int _waiting;

    /// <summary>Poll period while a request waits for a leader (failover), when leader_poll_ms is longer.</summary>
    public const int FailoverPollMs = 50;

    public LeaderTracker(RoutingConfig config, RouterMetrics metrics, ILogger log)
    {
        _config = config;
        _metrics = metrics;
        _log = log;
        Groups = config.Groups.Select(g => new GroupState(g)).ToArray();
        _pollTimeout = TimeSpan.FromMilliseconds(Math.Max(1000, Math.Min(config.LeaderPollMs * 4, config.RequestTimeoutMs)));
        var handler = new SocketsHttpHandler
        {
            UseProxy = false, AllowAutoRedirect = false, UseCookies = false,
            ConnectTimeout = _pollTimeout, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxStatusBytes };
        foreach (var g in Groups)
        {
            metrics.Leader(g.Id, -1, changed: false);
            foreach (var n in g.Nodes) metrics.NodeUp(g.Id, n.Name, false);
        }
    }

    public IReadOnlyList<GroupState> Groups { get; }

    public GroupState? Group(int id)
    {
        foreach (var g in Groups)
            if (g.Id == id) return g;
        return null;
    }

    /// <summary>Polls once (so that a gateway starts knowing its leaders when they are up) and starts the poll loop.</summary>
    public async Task StartAsync()
    {
        await PollAllAsync(_stop.Token);
        _loop = Task.Run(() => LoopAsync(_stop.Token));
    }

    /// <summary>
    /// The group's leader, waiting (until <paramref name="ct"/> fires) for one when none is known;
    /// <paramref name="exclude"/> is a node that just refused and is not taken again. Null: none in time.
    /// </summary>
    public async Task<NodeState?> WaitForLeaderAsync(GroupState group, NodeState? exclude, CancellationToken ct)
    {
        var leader = group.Leader;
        if (leader is not null && !ReferenceEquals(leader, exclude)) return leader;
        Interlocked.Increment(ref _waiting); // polls run every FailoverPollMs meanwhile
        Wake();
        try
        {
            while (true)
            {
                var changed = group.Changed;
                leader = group.Leader;
                if (leader is not null && !ReferenceEquals(leader, exclude)) return leader;
                try
                {
                    await changed.WaitAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>
    /// <paramref name="refused"/> turned a request away: it answered 421 not_leader (it is taken for a follower until a
    /// poll says otherwise) or nobody accepted the connection (it is down until a poll finds it up again: a restarted
    /// node can lead again). It stops being the leader and the nodes are polled now. Returns the node the refusal's
    /// hint names when it is one of the group's other configured nodes (hints naming anything else are ignored: the
    /// gateway only talks to configured nodes).
    /// </summary>
    public NodeState? OnRefused(GroupState group, NodeState refused, string? leaderHint, bool connectionRefused)
    {
        refused.Status = connectionRefused
            ? NodeStatus.Down("refused a connection") with { Refused = true }
            : refused.Status with { Role = NodeStatus.Follower, LeaderHint = leaderHint, At = DateTimeOffset.UtcNow };
        _metrics.NodeUp(group.Id, refused.Name, refused.Healthy);
        var hinted = group.NodeAt(leaderHint);
        if (ReferenceEquals(hinted, refused)) hinted = null;
        if (ReferenceEquals(group.Leader, refused)) SetLeader(group, hinted);
        Wake();
        return hinted;
    }

    private void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task LoopAsync(CancellationToken ct)
    {
        var normal = TimeSpan.FromMilliseconds(_config.LeaderPollMs);
        var failover = TimeSpan.FromMilliseconds(Math.Min(_config.LeaderPollMs, FailoverPollMs));
        var wake = Volatile.Read(ref _wake); // taken before each poll: a refusal during the poll is not lost
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await wake.Task.WaitAsync(Volatile.Read(ref _waiting) > 0 ? failover : normal, ct);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
            wake = Volatile.Read(ref _wake);
            try
            {
                await PollAllAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogError(e, "leader poll failed");
            }
        }
    }

    private async Task PollAllAsync(CancellationToken ct)
    {
        var polls = new List<Task>();
        foreach (var g in Groups)
            foreach (var n in g.Nodes) polls.Add(PollAsync(g, n, ct));
        await Task.WhenAll(polls);
        foreach (var g in Groups) Elect(g);
    }

    private async Task PollAsync(GroupState group, NodeState node, CancellationToken ct)
    {
        var status = await ProbeAsync(node, ct);
        var before = node.Status;
        // One slow or failed poll of a node that answered before is not yet "down" (a busy node, a lost packet); a
        // refused connection is (nothing listens there), and so is a second failure in a row.
        if (!status.Up && before.Up && !status.Refused && !before.Suspect)
            status = before with { Suspect = true, Problem = "last poll failed: " + status.Problem };
        node.Status = status;
        bool healthy = node.Healthy;
        if (before.Up != status.Up || before.Problem != status.Problem && status.Problem is not null)
        {
            if (status.Problem is null) _log.LogInformation("group {Group} node {Node}: up, role {Role}", group.Id, node.Name, status.Role);
            else _log.LogWarning("group {Group} node {Node}: {Problem}", group.Id, node.Name, status.Problem);
        }
        _metrics.NodeUp(group.Id, node.Name, healthy);
    }

    private async Task<NodeStatus> ProbeAsync(NodeState node, CancellationToken stop)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        cts.CancelAfter(_pollTimeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(node.BaseUri, "replication/status"), cts.Token);
            if (response.StatusCode == HttpStatusCode.NotFound) return await ProbeReadyAsync(node, cts.Token);
            if (response.StatusCode != HttpStatusCode.OK) return NodeStatus.Down($"/replication/status answered {(int)response.StatusCode}");
            var body = await response.Content.ReadAsByteArrayAsync(cts.Token);
            return ParseStatus(body, node.Group);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return NodeStatus.Down($"no status answer within {_pollTimeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException e)
        {
            return NodeStatus.Down("unreachable: " + e.Message) with { Refused = e.HttpRequestError == HttpRequestError.ConnectionError };
        }
    }

    private async Task<NodeStatus> ProbeReadyAsync(NodeState node, CancellationToken ct)
    {
        using var response = await _http.GetAsync(new Uri(node.BaseUri, "ready"), ct);
        return response.StatusCode == HttpStatusCode.OK
            ? new NodeStatus(true, NodeStatus.Single, 0, null, null, null, DateTimeOffset.UtcNow)
            : NodeStatus.Down($"no /replication/status and /ready answered {(int)response.StatusCode}");
    }

    /// <summary>The contract's status body: role, term, group and the leader's API URL.</summary>
    internal static NodeStatus ParseStatus(ReadOnlySpan<byte> body, int configuredGroup)
    {
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
                return NodeStatus.Down("/replication/status has no role");
            string role = roleElement.GetString()!;
            long term = root.TryGetProperty("term", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out long tv) ? tv : 0;
            int? group = root.TryGetProperty("group", out var g) && g.ValueKind == JsonValueKind.Number && g.TryGetInt32(out int gv) ? gv : null;
            string? hint = root.TryGetProperty("leader", out var l) && l.ValueKind == JsonValueKind.Object && l.TryGetProperty("api", out var api)
                && api.ValueKind == JsonValueKind.String ? api.GetString() : null;
            string? problem = group is { } reported && reported != configuredGroup
                ? $"reports group {reported} but is configured in group {configuredGroup}: not used" : null;
            if (role is not (NodeStatus.Leader or NodeStatus.Follower or NodeStatus.Single)) role = NodeStatus.Unknown;
            return new NodeStatus(true, role, term, group, hint, problem, DateTimeOffset.UtcNow);
        }
        catch (JsonException e)
        {
            return NodeStatus.Down("/replication/status is not JSON: " + e.Message);
        }
    }

    private void Elect(GroupState group)
    {
        NodeState? best = null;
        foreach (var n in group.Nodes)
        {
            if (!n.Healthy) continue;
            var s = n.Status;
            bool leads = s.Role == NodeStatus.Leader || (s.Role == NodeStatus.Single && group.Nodes.Length == 1);
            if (leads && (best is null || s.Term > best.Status.Term)) best = n;
        }
        SetLeader(group, best);
    }

    private void SetLeader(GroupState group, NodeState? leader)
    {
        var before = group.Leader;
        if (!group.SetLeader(leader)) return;
        _metrics.Leader(group.Id, leader?.Index ?? -1, changed: true);
        if (leader is null) _log.LogWarning("group {Group}: no leader known (was {Before})", group.Id, before?.Name);
        else _log.LogInformation("group {Group}: leader is {Leader}", group.Id, leader.Name);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }
        _http.Dispose();
        _stop.Dispose();
    }
}
