using Hft.Core.Matching;

namespace Hft.Pipeline.Shards;

/// <summary>
/// One slot of a shard's command ring. Filled by the submitting thread, read once by whoever processes the shard (its
/// own thread, or a gateway thread running it to completion). Either an order command to decide, a decided command to
/// apply (replicated), or a query to run on the shard's state.
/// </summary>
public struct PipelineCommand
{
    /// <summary>Gateway: the order command (ids, ticks and lots already converted at the edge).</summary>
    public OrderCommand Command;

    /// <summary>Gateway: told once the command is decided and journaled; null for fire-and-forget commands.</summary>
    public ICommandReply? Reply;

    /// <summary>A read-only question for the shard's state instead of an order command (run only by the shard's own thread).</summary>
    public IShardQuery? Query;

    /// <summary>Gateway: Stopwatch timestamp of receipt (start of the receipt → ack latency; 0 = not timed).</summary>
    public long ReceivedTimestamp;

    /// <summary>Gateway: the client's own order id, journaled with the order so that recovery keeps it.</summary>
    public string? ClientOrderId;

    /// <summary>
    /// Replicated mode: the journal sequence of a command the leader decided and the group committed (already in this
    /// node's journal); the shard applies it as recovery does - no risk check, nothing journaled, nobody to answer. 0 otherwise.
    /// </summary>
    public long ReplicatedSequence;
}

/// <summary>A read of shard-owned state (books, live orders), run on the shard's own thread between commands.</summary>
public interface IShardQuery
{
    void Run(MatchingShard shard);
}
