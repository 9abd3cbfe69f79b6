using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline.Durability;

namespace Hft.Gateways.Binary;

/// <summary>A binary mass cancel: once every shard's cancels are durable, answered with MassCancelDone and how many were canceled.</summary>
internal sealed class MassCancelCompletion(BinarySession session, ulong requestId, DurableOutbox outbox, int shards) : FanInReply(outbox, shards)
{
    private int _canceled;

    protected override void Collect(in OrderCommand command, ReadOnlySpan<EngineEvent> events)
    {
        foreach (ref readonly var e in events)
            if (e.Kind == EventKind.Canceled && e.Account == command.Account) _canceled++;
    }

    protected override void Released(bool failed)
    {
        if (failed) session.Close(DisconnectReason.ServerShutdown);
        else session.EnqueueImmediate(new BinaryMessage { Type = MessageType.MassCancelDone, ClientOrderId = requestId, Count = (uint)_canceled });
    }
}
