using Hft.Core.Matching;

namespace Hft.Pipeline;

/// <summary>
/// One slot of a shard's command ring. Filled by a gateway thread (the command, who to tell, when it arrived),
/// read once by the shard thread. Either an order command or a query to run on the shard thread.
/// </summary>
public struct PipelineCommand
{
    /// <summary>Gateway: the order command (ids, ticks and lots already converted at the edge).</summary>
    public OrderCommand Command;

    /// <summary>Gateway: told the outcome on the shard thread; null for fire-and-forget commands.</summary>
    public IOrderCompletion? Completion;

    /// <summary>Gateway: a read-only question for the shard's books instead of an order command.</summary>
    public IShardQuery? Query;

    /// <summary>Gateway: Stopwatch timestamp of receipt (start of the receipt → ack latency).</summary>
    public long ReceivedTimestamp;

    /// <summary>Gateway: the client's own order id, journaled with the order so that recovery keeps it.</summary>
    public string? ClientOrderId;

    /// <summary>
    /// Replicated mode: a command the leader decided and the group committed; the shard re-applies it as recovery
    /// does (no risk check, nothing journaled, nobody to answer).
    /// </summary>
    public bool Replicated;
}

/// <summary>
/// What a gateway learns about its command, on the shard thread; copy what you need, the span is reused.
/// When <c>awaitingDurability</c> is true the command changed state and was handed to the journal: the
/// acknowledgment may leave only after <see cref="Hft.Journal.IDurableCallback.OnDurable"/> (sequence -1 = the
/// journal failed and the command is not durable).
/// </summary>
public interface IOrderCompletion : Hft.Journal.IDurableCallback
{
    void Complete(in OrderCommand command, ReadOnlySpan<Hft.Core.Events.EngineEvent> events, bool awaitingDurability);
}

/// <summary>A read of shard-owned state (books, live orders), run on the shard thread between commands.</summary>
public interface IShardQuery
{
    void Run(MatchingShard shard);
}
