using System.Threading.Tasks.Sources;

namespace Hft.Pipeline;

/// <summary>
/// An auto-reset, coalescing wake-up for one awaiting loop, without allocating per wait (a reusable
/// <see cref="IValueTaskSource"/>). Any thread may <see cref="Set"/>; several sets before the wait wake it once.
/// Continuations run on the thread pool, never on the setter's thread (a shard, the journal thread, the market-data publisher).
/// </summary>
public sealed class AsyncSignal : IValueTaskSource
{
    private const int Idle = 0, Waiting = 1, Signaled = 2;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;

    public void Set()
    {
        while (true)
        {
            int s = Volatile.Read(ref _state);
            if (s == Signaled) return;
            if (Interlocked.CompareExchange(ref _state, Signaled, s) != s) continue;
            if (s == Waiting) _core.SetResult(true);
            return;
        }
    }

    /// <summary>Completes when <see cref="Set"/> was called since the last wait returned. One waiter at a time.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled) return ValueTask.CompletedTask;
        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle) return new ValueTask(this, _core.Version);
        Volatile.Write(ref _state, Idle); // signaled in between
        return ValueTask.CompletedTask;
    }

    void IValueTaskSource.GetResult(short token)
    {
        Volatile.Write(ref _state, Idle); // consumed: the woken loop drains everything enqueued before this point
        _core.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
