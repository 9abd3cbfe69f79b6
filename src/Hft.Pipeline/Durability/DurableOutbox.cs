using Hft.Journal;

namespace Hft.Pipeline.Durability;

/// <summary>Waits in the <see cref="DurableOutbox"/> for a journal sequence to become durable.</summary>
public interface IDurableWaiter
{
    /// <summary>
    /// The sequence waited for is durable (<paramref name="failed"/> false), or never will be: the journal failed. Called
    /// once per <see cref="DurableOutbox.WhenDurable"/>, on the thread that made it durable (or on the caller's, at once);
    /// must be quick and must not block: signal a sender, complete a task.
    /// </summary>
    void OnDurable(bool failed);
}

/// <summary>
/// The one way out of the pipeline. Every reply to a client - an acknowledgment, a rejection, an execution report, a
/// user-channel event, public market data - is released only once the journal's durable sequence has passed the
/// record of the command that produced it (sequence 0: the command changed nothing, nothing to wait for). Gateways
/// ask <see cref="IsDurable"/> before sending and, when not yet, register with <see cref="WhenDurable"/> to be woken;
/// the journal tells this outbox (<see cref="IDurableListener"/>) each time its durable sequence moves. Waiters are kept
/// in a min-heap by sequence, so a move releases exactly those now due.
/// </summary>
public sealed class DurableOutbox : IDurableListener
{
    private readonly object _gate = new();
    private readonly PriorityQueue<IDurableWaiter, long> _waiting = new(256);
    private long _durable;

    // The waiters one move releases, called outside the lock; one buffer per releasing thread (the journal thread or a
    // flushing appender), taken out while in use so that a reentrant release cannot overwrite it.
    [ThreadStatic]
    private static IDurableWaiter?[]? t_due;
    private volatile bool _failed;

    /// <param name="durable">The journal's durable sequence now (everything recovered is durable).</param>
    public DurableOutbox(long durable) => _durable = durable;

    /// <summary>The highest sequence known durable.</summary>
    public long Durable => Volatile.Read(ref _durable);

    /// <summary>The journal failed: nothing after <see cref="Durable"/> will ever be released.</summary>
    public bool Failed => _failed;

    /// <summary>Whether a reply produced by the record at <paramref name="sequence"/> may leave (0 = nothing was journaled).</summary>
    public bool IsDurable(long sequence) => sequence <= Volatile.Read(ref _durable);

    /// <summary>
    /// Tells <paramref name="waiter"/> once <paramref name="sequence"/> is durable - at once, on this thread, when it
    /// already is (or the journal has failed). A waiter may be registered again from its own callback.
    /// </summary>
    public void WhenDurable(long sequence, IDurableWaiter waiter)
    {
        bool now;
        lock (_gate)
        {
            now = sequence <= _durable || _failed;
            if (!now) _waiting.Enqueue(waiter, sequence);
        }
        if (now) waiter.OnDurable(_failed && sequence > Volatile.Read(ref _durable));
    }

    /// <summary>Journal: everything up to <paramref name="upTo"/> is durable.</summary>
    public void OnDurable(long upTo)
    {
        var due = t_due ?? new IDurableWaiter?[64];
        t_due = null;
        int n = 0;
        lock (_gate)
        {
            if (upTo > _durable)
            {
                Volatile.Write(ref _durable, upTo);
                while (_waiting.TryPeek(out _, out long sequence) && sequence <= upTo)
                {
                    if (n == due.Length) Array.Resize(ref due, n * 2);
                    due[n++] = _waiting.Dequeue();
                }
            }
        }
        Release(due, n, failed: false);
    }

    /// <summary>Journal: failed; every waiter is told (nothing it waits for will be durable).</summary>
    public void OnFailed(Exception failure)
    {
        var due = t_due ?? new IDurableWaiter?[64];
        t_due = null;
        int n = 0;
        lock (_gate)
        {
            _failed = true;
            while (_waiting.TryDequeue(out var waiter, out _))
            {
                if (n == due.Length) Array.Resize(ref due, n * 2);
                due[n++] = waiter;
            }
        }
        Release(due, n, failed: true);
    }

    private static void Release(IDurableWaiter?[] due, int n, bool failed)
    {
        for (int i = 0; i < n; i++)
        {
            var waiter = due[i]!;
            due[i] = null;
            waiter.OnDurable(failed);
        }
        t_due = due;
    }
}
