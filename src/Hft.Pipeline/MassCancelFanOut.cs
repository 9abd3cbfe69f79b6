using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline;

namespace Hft.Pipeline;

/// <summary>
/// Completion of one mass cancel fanned out to <c>shards</c> shards, shared by the binary and FIX gateways: counts the
/// account's cancels and, once every shard has processed it and the journal has made the cancels durable, calls
/// <see cref="Finished"/> once. A journal failure means no answer. One object per mass cancel (rare, off the order path).
/// </summary>
internal abstract class MassCancelFanOut(int shards) : IOrderCompletion
{
    private int _remaining = shards;
    private int _pendingDurable;
    private int _canceled;
    private bool _failed;
    private bool _done;

    /// <summary>Every shard answered and everything is durable: report <paramref name="canceled"/> (under the lock).</summary>
    protected abstract void Finished(int canceled);

    /// <summary>Called after each durability notice, outside the lock.</summary>
    protected virtual void AfterDurable()
    {
    }

    public void Complete(in OrderCommand command, ReadOnlySpan<EngineEvent> events, bool awaitingDurability)
    {
        lock (this)
        {
            foreach (ref readonly var e in events)
                if (e.Kind == EventKind.Canceled && e.Account == command.Account) _canceled++;
            _remaining--;
            if (awaitingDurability) _pendingDurable++;
            TryFinish();
        }
    }

    public void OnDurable(long sequence)
    {
        lock (this)
        {
            if (sequence < 0) _failed = true;
            _pendingDurable--;
            TryFinish();
        }
        AfterDurable();
    }

    private void TryFinish()
    {
        if (_done || _remaining > 0 || _pendingDurable > 0 || _failed) return;
        _done = true;
        Finished(_canceled);
    }
}
