using Hft.Core.Events;
using Hft.Core.Matching;

namespace Hft.Pipeline;

/// <summary>Stopwatch timestamps of one command's way through a shard (0 = not measured).</summary>
public struct StageTimestamps
{
    /// <summary>Gateway received the request (after parsing).</summary>
    public long Received;

    /// <summary>Shard took the command off its ring.</summary>
    public long Dequeued;

    /// <summary>Validation and pre-trade risk done.</summary>
    public long Risked;

    /// <summary>Matching done.</summary>
    public long Matched;

    /// <summary>Settlement done: the acknowledgment is decided (observers run next, then the gateway is told).</summary>
    public long Acked;
}

/// <summary>
/// Listens to every command a shard processed (metrics, market data, audit of fills), on the shard thread:
/// must be quick and must not block; copy what outlives the call.
/// </summary>
public interface IPipelineObserver
{
    void OnProcessed(int shard, in OrderCommand command, ReadOnlySpan<EngineEvent> events, in StageTimestamps timestamps);
}

/// <summary>
/// Optionally implemented by an <see cref="IPipelineObserver"/>: told, on the gateway thread, of every command the
/// pipeline refused at admission (throttle, full ring, stopping) - those never reach a shard. Must be quick.
/// </summary>
public interface IAdmissionObserver
{
    void OnRefused(in OrderCommand command, AdmitResult result);
}
