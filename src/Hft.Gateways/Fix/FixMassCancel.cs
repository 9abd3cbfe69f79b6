using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Server.Pipeline;

namespace Hft.Gateways.Fix;

/// <summary>
/// Completion of one OrderMassCancelRequest fanned out to <c>expected</c> shards: counts the account's cancels and,
/// once every shard answered and the journal made them durable, queues the OrderMassCancelReport behind the
/// cancels' own execution reports.
/// </summary>
internal sealed class FixMassCancel(FixSession session, MassCancelOutcome outcome, int expected) : IOrderCompletion
{
    private int _remaining = expected;
    private int _pendingDurable;
    private bool _failed;
    private bool _done;

    public void Complete(in OrderCommand command, ReadOnlySpan<EngineEvent> events, bool awaitingDurability)
    {
        lock (this)
        {
            foreach (ref readonly var e in events)
                if (e.Kind == EventKind.Canceled) outcome.Canceled++;
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
    }

    private void TryFinish()
    {
        if (_done || _remaining > 0 || _pendingDurable > 0 || _failed) return;
        _done = true;
        session.EnqueueMassCancelReport(outcome);
    }
}
