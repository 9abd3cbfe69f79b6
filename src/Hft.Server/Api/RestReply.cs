using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline;
using Hft.Pipeline.Durability;
using Hft.Pipeline.State;

namespace Hft.Server.Api;

/// <summary>
/// The pipeline's reply to one REST request: copies the events (the processing thread reuses its buffer), captures the
/// order's state as its command left it (<see cref="Decided"/> - the acknowledgment must not report effects of later
/// commands, which may not be durable when it leaves), and completes <see cref="Task"/> once the outbox released it.
/// With run-to-completion the request's own thread processed the command, so the task is usually complete before the
/// handler awaits it. With <c>expected</c> &gt; 1 it waits for that many shards (a cancel-all of every instrument).
/// </summary>
public sealed class RestReply(DurableOutbox outbox, int expected = 1, OrderRecord? order = null) : FanInReply(outbox, expected)
{
    private readonly TaskCompletionSource<EngineEvent[]> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EngineEvent[] _events = [];

    /// <summary>The order's state right after its command was decided (null without an order or before).</summary>
    public OrderState? Decided { get; private set; }

    /// <summary>The command's events, once durable; faults with <see cref="JournalFailedException"/> when it never will be.</summary>
    public Task<EngineEvent[]> Task => _done.Task;

    protected override void Collect(in OrderCommand command, ReadOnlySpan<EngineEvent> events)
    {
        if (order is not null) Decided = order.Capture();
        if (events.IsEmpty) return;
        _events = _events.Length == 0 ? events.ToArray() : [.. _events, .. events]; // one exact-size array per shard
    }

    protected override void Released(bool failed)
    {
        if (failed) _done.TrySetException(new JournalFailedException());
        else _done.TrySetResult(_events);
    }
}
