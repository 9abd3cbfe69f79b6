using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Server.Pipeline;

namespace Hft.Server.Api;

/// <summary>
/// Bridges a shard's synchronous completion to an awaiting API request: copies the events (the shard reuses its
/// buffer) and completes a task whose continuation runs on the thread pool, never on the shard thread.
/// With <c>expected</c> &gt; 1 it completes after that many commands (a cancel-all fanned out to every shard).
/// </summary>
public sealed class PipelineCompletion : IOrderCompletion
{
    private readonly TaskCompletionSource<EngineEvent[]> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<EngineEvent> _events = new();
    private int _remaining;

    public PipelineCompletion(int expected = 1) => _remaining = expected;

    public Task<EngineEvent[]> Task => _done.Task;

    public void Complete(in OrderCommand command, ReadOnlySpan<EngineEvent> events)
    {
        lock (_events)
        {
            foreach (ref readonly var e in events) _events.Add(e);
            if (--_remaining > 0) return;
            _done.TrySetResult(_events.ToArray());
        }
    }
}
