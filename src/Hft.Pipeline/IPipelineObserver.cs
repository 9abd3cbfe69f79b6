using Hft.Core.Events;
using Hft.Core.Matching;

namespace Hft.Pipeline;

/// <summary>Stopwatch timestamps of one command's way through a shard (0 = not measured).</summary>
public struct StageTimestamps
{
    /// <summary>Gateway received the request (after parsing).</summary>
    public long Received;

    /// <summary>The processing thread took the command off its shard's ring.</summary>
    public long Dequeued;

    /// <summary>Validation and pre-trade risk done.</summary>
    public long Risked;

    /// <summary>Matching done.</summary>
    public long Matched;

    /// <summary>Settlement done: the command is decided (journaled next, then published).</summary>
    public long Decided;
}

/// <summary>
/// Listens to every command a shard processed - the publishers: client-visible order state, the trade tape, metrics,
/// market data, per-account event streams. Called on the processing thread after the command was decided and handed to
/// the journal: <c>sequence</c> is its journal record (0 when it changed nothing). What an observer passes on
/// to a client must wait in the <see cref="Durability.DurableOutbox"/> until that sequence is durable. Must be quick and
/// must not block; copy what outlives the call.
/// </summary>
public interface IPipelineObserver
{
    void OnProcessed(int shard, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence, in StageTimestamps timestamps);
}

/// <summary>
/// Optionally implemented by an <see cref="IPipelineObserver"/> that keeps every order (the order directory): told, on
/// the processing thread, of each new order a shard decided (accepted or rejected) with the client order id its
/// gateway gave - the one journaled with it - right before the observers see the command's events, so an order is
/// known to them whichever gateway entered it. Recovery and replicated apply register journaled orders themselves.
/// </summary>
public interface INewOrderObserver
{
    void OnNewOrder(in OrderCommand command, string? clientOrderId);
}

/// <summary>
/// Optionally implemented by an <see cref="IPipelineObserver"/>: told, on the gateway thread, of every command the
/// pipeline refused at admission (throttle, full ring, stopping, not leader) - those never reach a shard. Must be quick.
/// </summary>
public interface IAdmissionObserver
{
    void OnRefused(in OrderCommand command, AdmitResult result);
}

/// <summary>
/// The gateway's side of one command it submitted: told once, on the processing thread, after the command was decided,
/// journaled and published to the observers (so a client that reads back its order finds it up to date). The reply
/// may leave only once <c>sequence</c> is durable (<see cref="Durability.DurableOutbox"/>); 0 = the command
/// changed nothing (a rejection): it may leave at once; -1 = the journal failed: it must never be acknowledged. The
/// span is reused: copy what you need.
/// </summary>
public interface ICommandReply
{
    void OnDecided(in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence);
}
