using Hft.Core.Events;

namespace Hft.Pipeline;

/// <summary>Why a command could not enter the pipeline (nothing was done).</summary>
public enum AdmitResult : byte
{
    Accepted = 0,
    RateLimited = 1,
    Overloaded = 2,
    Stopping = 3,

    /// <summary>Replicated mode: this node is not the group's leader (or not yet caught up as one).</summary>
    NotLeader = 4,
}

/// <summary>The one mapping from an admission refusal to the reason every gateway reports.</summary>
public static class AdmitResults
{
    /// <summary>The reject reason of a refusal (<see cref="RejectReason.None"/> for an accepted command).</summary>
    public static RejectReason ToRejectReason(this AdmitResult result) => result switch
    {
        AdmitResult.Accepted => RejectReason.None,
        AdmitResult.RateLimited => RejectReason.RateLimited,
        AdmitResult.Overloaded => RejectReason.Overloaded,
        AdmitResult.NotLeader => RejectReason.NotLeader,
        _ => RejectReason.ShuttingDown,
    };
}

/// <summary>What this node is in its replication group.</summary>
public enum ReplicationRole : byte
{
    /// <summary>Replication off: the node is its own leader.</summary>
    Single = 0,

    /// <summary>Applies what the leader decided; serves reads; refuses order entry and operator changes.</summary>
    Follower = 1,

    /// <summary>Decides: order entry and operator changes, replicated before they are acknowledged.</summary>
    Leader = 2,
}

/// <summary>An order-entry or operator change reached a node that is not its group's leader (HTTP 421, code not_leader).</summary>
public sealed class NotLeaderException(string? leaderUrl)
    : InvalidOperationException(leaderUrl is null
        ? "this node is not the leader of its replication group and no leader is known yet; retry shortly"
        : $"this node is not the leader of its replication group; the leader is {leaderUrl}")
{
    /// <summary>The leader's API URL when known.</summary>
    public string? LeaderUrl { get; } = leaderUrl;
}
