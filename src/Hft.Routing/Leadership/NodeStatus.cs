namespace Hft.Routing.Leadership;

/// <summary>
/// What the last poll of a node said. <see cref="Role"/> is the contract's <c>leader</c>, <c>follower</c> or
/// <c>single</c> (from <c>GET /replication/status</c>; a node without that endpoint that answers <c>GET /ready</c> 200 is
/// <c>single</c>), or <c>unknown</c> when the poll failed.
/// </summary>
public sealed record NodeStatus(bool Up, string Role, long Term, int? Group, string? LeaderHint, string? Problem, DateTimeOffset At)
{
    public const string Leader = "leader";
    public const string Follower = "follower";
    public const string Single = "single";
    public const string Unknown = "unknown";

    /// <summary>The poll failed because the connection was refused (nothing listens): down at once.</summary>
    public bool Refused { get; init; }

    /// <summary>Still counted up, but the last poll failed; the next failure makes it down.</summary>
    public bool Suspect { get; init; }

    public static NodeStatus NotPolled { get; } = new(false, Unknown, 0, null, null, "not polled yet", DateTimeOffset.MinValue);

    public static NodeStatus Down(string problem) => new(false, Unknown, 0, null, null, problem, DateTimeOffset.UtcNow);
}
