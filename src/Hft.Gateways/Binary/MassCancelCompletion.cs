using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Server.Pipeline;

namespace Hft.Gateways.Binary;

/// <summary>
/// Collects a binary mass cancel fanned out to the shards: once every shard has processed it and the journal has made
/// the cancels durable, the session gets MassCancelDone with the number canceled. One object per mass cancel (a rare
/// command, off the order path).
/// </summary>
internal sealed class MassCancelCompletion(BinarySession session, ulong requestId, int shards) : IOrderCompletion
{
    private int _remaining = shards;
    private int _pendingDurable;
    private int _canceled;
    private bool _failed;
    private bool _done;

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
        session.NotifyDurable();
    }

    private void TryFinish()
    {
        if (_done || _remaining > 0 || _pendingDurable > 0 || _failed) return;
        _done = true;
        session.EnqueueImmediate(new BinaryMessage { Type = MessageType.MassCancelDone, ClientOrderId = requestId, Count = (uint)_canceled });
    }
}
