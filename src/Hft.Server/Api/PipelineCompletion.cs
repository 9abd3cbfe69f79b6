using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline;

namespace Hft.Server.Api;

/// <summary>
/// Bridges a shard's synchronous completion to an awaiting API request: copies the events (the shard reuses its
/// buffer) and completes a task whose continuation runs on the thread pool, never on the shard thread.
/// With <c>expected</c> &gt; 1 it completes after that many commands (a cancel-all fanned out to every shard).
/// Given the command's order, it captures the order's state as the command left it (<see cref="Decided"/>), on the
/// shard thread before later commands change it: the acknowledgment must not report effects of later commands,
/// which may not be durable when it leaves.
/// </summary>
public sealed class PipelineCompletion : IOrderCompletion
{
    private readonly TaskCompletionSource<EngineEvent[]> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<EngineEvent> _events = new();
    private int _remaining;
    private int _pendingDurable;
    private bool _failed;
    private readonly OrderRecord? _order;

    public PipelineCompletion(int expected = 1, OrderRecord? order = null)
    {
        _remaining = expected;
        _order = order;
    }

    /// <summary>The order's state right after its command was decided (null without an order or before).</summary>
    public OrderState? Decided { get; private set; }

    public Task<EngineEvent[]> Task => _done.Task;

    public void Complete(in OrderCommand command, ReadOnlySpan<EngineEvent> events, bool awaitingDurability)
    {
        if (_order is not null) Decided = _order.Capture();
        lock (_events)
        {
            foreach (ref readonly var e in events) _events.Add(e);
            _remaining--;
            if (awaitingDurability) _pendingDurable++;
            TryFinish();
        }
    }

    public void OnDurable(long sequence)
    {
        lock (_events)
        {
            if (sequence < 0) _failed = true;
            _pendingDurable--;
            TryFinish();
        }
    }

    private void TryFinish()
    {
        if (_remaining > 0 || _pendingDurable > 0) return;
        if (_failed) _done.TrySetException(new JournalFailedException());
        else _done.TrySetResult(_events.ToArray());
    }
}
