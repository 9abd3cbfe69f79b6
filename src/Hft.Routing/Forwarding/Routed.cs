using Hft.Routing.Leadership;

namespace Hft.Routing.Forwarding;

/// <summary>
/// The result of routing one request to one group: the upstream response (headers read, body to relay) or the
/// gateway's own error (status, code, message). Dispose releases the upstream response.
/// </summary>
public sealed class Routed : IDisposable
{
    private Routed(HttpResponseMessage? response, NodeState? node, bool retried, int status, string? code, string? message, string outcome)
    {
        Response = response;
        Node = node;
        Retried = retried;
        Status = status;
        Code = code;
        Message = message;
        Outcome = outcome;
    }

    public HttpResponseMessage? Response { get; }

    /// <summary>The node that answered.</summary>
    public NodeState? Node { get; }

    /// <summary>True when the answer came on the one retry after a refusal.</summary>
    public bool Retried { get; }

    public int Status { get; }

    public string? Code { get; }

    public string? Message { get; }

    /// <summary>The <c>hft_router_requests_total</c> outcome label.</summary>
    public string Outcome { get; }

    public bool ClientGone => Response is null && Status == 0;

    public static Routed Answered(HttpResponseMessage response, NodeState node, bool retried)
        => new(response, node, retried, (int)response.StatusCode, null, null,
            retried ? Operations.RouterMetrics.Outcome.Retried : Operations.RouterMetrics.Outcome.Forwarded);

    public static Routed Error(int status, string code, string message, string outcome) => new(null, null, false, status, code, message, outcome);

    public static Routed Gone() => new(null, null, false, 0, null, null, Operations.RouterMetrics.Outcome.UpstreamError);

    public void Dispose() => Response?.Dispose();
}
