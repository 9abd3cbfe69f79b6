using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline.Durability;

namespace Hft.Gateways.Fix;

/// <summary>An OrderMassCancelRequest: once every shard's cancels are durable, the OrderMassCancelReport is queued behind their own execution reports.</summary>
internal sealed class FixMassCancel(FixSession session, MassCancelOutcome outcome, DurableOutbox outbox, int shards) : FanInReply(outbox, shards)
{
    protected override void Collect(in OrderCommand command, ReadOnlySpan<EngineEvent> events)
    {
        foreach (ref readonly var e in events)
            if (e.Kind == EventKind.Canceled && e.Account == command.Account) outcome.Canceled++;
    }

    protected override void Released(bool failed)
    {
        if (failed) session.Connection?.Terminate("journal_failed", "the venue's journal failed; nothing further is acknowledged");
        else session.EnqueueMassCancelReport(outcome);
    }
}
