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
    private int _pendingDurable;
    private bool _failed;

    public PipelineCompletion(int expected = 1) => _remaining = expected;

    public Task<EngineEvent[]> Task => _done.Task;

    public void Complete(in OrderCommand command, ReadOnlySpan<EngineEvent> events, bool awaitingDurability)
    {
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

/// <summary>The journal could not make a command durable: it must not be acknowledged (503).</summary>
public sealed class JournalFailedException() : Exception("the journal failed; the command was not made durable");
