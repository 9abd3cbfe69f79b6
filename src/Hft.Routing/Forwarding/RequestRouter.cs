using System.Text.Json;
using Hft.Routing.Api;
using Hft.Routing.Configuration;
using Hft.Routing.Leadership;
using Hft.Routing.Operations;
using Microsoft.AspNetCore.Http;

namespace Hft.Routing.Forwarding;

/// <summary>
/// Sends a request to the right node of a group. Order entry goes to the leader; a refusal (421 not_leader, or a
/// connection that could not be made, so nothing was executed) drops that leader, and the request is sent ONCE more:
/// to the node the 421's <c>leader</c> hint names when it is one of the group's configured nodes, else to the leader
/// the next poll finds, within the request's budget. A timeout or a connection reset after sending is never re-sent:
/// the client gets 503 upstream_error and retries with its clientOrderId (a duplicate is refused by the server).
/// Reads go to any healthy node of the group (leader or follower), trying the next one on a refused connection.
/// </summary>
public sealed class RequestRouter
{
    private const int MaxRefusalBody = 64 * 1024;

    private readonly LeaderTracker _tracker;
    private readonly UpstreamClient _upstream;
    private readonly Dictionary<string, GroupState> _bySymbol = new(StringComparer.Ordinal);
    private readonly Dictionary<int, GroupState> _byId = new();

    public RequestRouter(RoutingConfig config, LeaderTracker tracker, UpstreamClient upstream)
    {
        _tracker = tracker;
        _upstream = upstream;
        Timeout = TimeSpan.FromMilliseconds(config.RequestTimeoutMs);
        foreach (var g in tracker.Groups)
        {
            _byId[g.Id] = g;
            foreach (var s in g.Symbols) _bySymbol[s] = g;
        }
    }

    /// <summary>request_timeout_ms.</summary>
    public TimeSpan Timeout { get; }

    public IReadOnlyList<GroupState> Groups => _tracker.Groups;

    public GroupState? GroupOfSymbol(string symbol) => _bySymbol.GetValueOrDefault(symbol);

    /// <summary>The group an order id belongs to (id &gt;&gt; 40), or null when no such group is configured.</summary>
    public GroupState? GroupOfOrder(long id) => id > 0 ? _byId.GetValueOrDefault(OrderIds.GroupOf(id)) : null;

    /// <summary>Order entry and anything that changes state: the group's leader, one retry on a refusal.</summary>
    public async Task<Routed> ToLeaderAsync(GroupState group, ForwardRequest request, CancellationToken deadline, CancellationToken clientGone)
    {
        NodeState? refused = null, next = null;
        string? lastProblem = null;
        using var waitOrGone = CancellationTokenSource.CreateLinkedTokenSource(deadline, clientGone);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var node = next ?? await _tracker.WaitForLeaderAsync(group, refused, waitOrGone.Token);
            if (clientGone.IsCancellationRequested) return Routed.Gone();
            if (node is null)
                return Routed.Error(StatusCodes.Status503ServiceUnavailable, RouterError.LeaderUnavailable,
                    $"no leader of group {group.Id} known within {Timeout.TotalMilliseconds:0} ms{(lastProblem is null ? "" : " (" + lastProblem + ")")}; retry later",
                    RouterMetrics.Outcome.LeaderUnavailable);
            var answer = await _upstream.SendAsync(node, request, deadline, clientGone);
            switch (answer.Failure)
            {
                case UpstreamFailure.None when (int)answer.Response!.StatusCode == StatusCodes.Status421MisdirectedRequest:
                    string? hint = await LeaderHintAsync(answer.Response, deadline);
                    answer.Response.Dispose();
                    lastProblem = $"{node.Name} answered not_leader";
                    next = _tracker.OnRefused(group, node, hint, connectionRefused: false);
                    refused = node; // it said it does not lead: not again, even if a stale poll says so
                    continue;
                case UpstreamFailure.None:
                    return Routed.Answered(answer.Response!, node, attempt > 0);
                case UpstreamFailure.Refused:
                    lastProblem = answer.Problem;
                    next = _tracker.OnRefused(group, node, null, connectionRefused: true);
                    refused = null; // down until a poll finds it up: a restarted node may lead again
                    continue;
                case UpstreamFailure.ClientGone:
                    return Routed.Gone();
                default:
                    return Routed.Error(StatusCodes.Status503ServiceUnavailable, RouterError.UpstreamError,
                        $"group {group.Id}: {answer.Problem}; the request may or may not have been executed: look it up " +
                        "(e.g. by clientOrderId) or resend it with the same clientOrderId",
                        RouterMetrics.Outcome.UpstreamError);
            }
        }
        return Routed.Error(StatusCodes.Status503ServiceUnavailable, RouterError.LeaderUnavailable,
            $"group {group.Id} refused the request twice ({lastProblem}); retry later", RouterMetrics.Outcome.LeaderUnavailable);
    }

    /// <summary>Reads: any healthy node of the group, the next one when a connection is refused; with none healthy, the
    /// leader once one is known within the budget.</summary>
    public async Task<Routed> ToAnyNodeAsync(GroupState group, ForwardRequest request, CancellationToken deadline, CancellationToken clientGone)
    {
        string? lastProblem = null;
        var nodes = group.ReadOrder();
        if (nodes.Count == 0)
        {
            using var waitOrGone = CancellationTokenSource.CreateLinkedTokenSource(deadline, clientGone);
            if (await _tracker.WaitForLeaderAsync(group, null, waitOrGone.Token) is { } leader) nodes.Add(leader);
            if (clientGone.IsCancellationRequested) return Routed.Gone();
        }
        foreach (var node in nodes)
        {
            var answer = await _upstream.SendAsync(node, request, deadline, clientGone);
            switch (answer.Failure)
            {
                case UpstreamFailure.None:
                    return Routed.Answered(answer.Response!, node, lastProblem is not null);
                case UpstreamFailure.Refused:
                    lastProblem = answer.Problem;
                    continue;
                case UpstreamFailure.ClientGone:
                    return Routed.Gone();
                default:
                    return Routed.Error(StatusCodes.Status503ServiceUnavailable, RouterError.UpstreamError, $"group {group.Id}: {answer.Problem}",
                        RouterMetrics.Outcome.UpstreamError);
            }
        }
        return Routed.Error(StatusCodes.Status503ServiceUnavailable, RouterError.GroupUnavailable,
            $"no healthy node of group {group.Id}{(lastProblem is null ? "" : " (" + lastProblem + ")")}; retry later",
            RouterMetrics.Outcome.LeaderUnavailable);
    }

    /// <summary>The <c>leader</c> of a 421 body <c>{"error":{"code":"not_leader","leader":"http://..."}}</c>, if any.</summary>
    private static async Task<string?> LeaderHintAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxRefusalBody, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return LeaderHint(body);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return null;
        }
    }

    internal static string? LeaderHint(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                   && doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object
                   && e.TryGetProperty("leader", out var l) && l.ValueKind == JsonValueKind.String
                ? l.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
