using Prometheus;

namespace Hft.Routing.Operations;

/// <summary>
/// The gateway's Prometheus metrics, on a registry of its own (several gateways and servers may share a process).
/// Group labels are the group id, <c>all</c> for a fan-out to every group, <c>none</c> when no group was chosen.
/// </summary>
public sealed class RouterMetrics
{
    /// <summary>Outcome labels of <c>hft_router_requests_total</c>.</summary>
    public static class Outcome
    {
        public const string Forwarded = "forwarded";                 // an upstream answer was relayed (any status)
        public const string Retried = "forwarded_after_retry";       // relayed after one retry on a refusal
        public const string LeaderUnavailable = "leader_unavailable";
        public const string UpstreamError = "upstream_error";        // timeout or reset: not retried
        public const string PartialFailure = "partial_failure";      // a fan-out where some groups failed
        public const string Rejected = "rejected";                   // refused by the gateway itself (4xx)
    }

    public static readonly double[] ForwardBuckets =
    [
        100e-6, 200e-6, 500e-6, 1e-3, 2e-3, 5e-3, 10e-3, 20e-3, 50e-3, 100e-3, 250e-3, 500e-3, 1, 2.5, 5, 10,
    ];

    private readonly Counter _requests;
    private readonly Histogram _forward;
    private readonly Gauge _leader;
    private readonly Counter _leaderChanges;
    private readonly Gauge _nodeUp;

    public RouterMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var f = Metrics.WithCustomRegistry(registry);
        _requests = f.CreateCounter("hft_router_requests_total", "Client requests by target group and outcome.",
            new CounterConfiguration { LabelNames = ["group", "outcome"] });
        _forward = f.CreateHistogram("hft_router_forward_seconds",
            "Time from receiving a client request to the upstream response headers (fan-out: all groups answered).",
            new HistogramConfiguration { LabelNames = ["group"], Buckets = ForwardBuckets });
        _leader = f.CreateGauge("hft_router_group_leader", "Index (in the group's nodes list) of the node the gateway routes order entry to; -1 = none known.",
            new GaugeConfiguration { LabelNames = ["group"] });
        _leaderChanges = f.CreateCounter("hft_router_leader_changes_total", "Changes of the known leader of a group (including to and from none).",
            new CounterConfiguration { LabelNames = ["group"] });
        _nodeUp = f.CreateGauge("hft_router_node_up", "1 when the node's last status poll succeeded and it serves the configured group.",
            new GaugeConfiguration { LabelNames = ["group", "node"] });
    }

    public CollectorRegistry Registry { get; }

    public void Request(string group, string outcome) => _requests.WithLabels(group, outcome).Inc();

    public void Forwarded(string group, TimeSpan elapsed) => _forward.WithLabels(group).Observe(elapsed.TotalSeconds);

    public void Leader(int group, int nodeIndex, bool changed)
    {
        var g = group.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _leader.WithLabels(g).Set(nodeIndex);
        if (changed) _leaderChanges.WithLabels(g).Inc();
    }

    public void NodeUp(int group, string node, bool up)
        => _nodeUp.WithLabels(group.ToString(System.Globalization.CultureInfo.InvariantCulture), node).Set(up ? 1 : 0);
}
