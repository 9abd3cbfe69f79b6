using Hft.Pipeline;

namespace Hft.Gateways.Binary;

/// <summary>A binary mass cancel: answered with MassCancelDone and the number canceled (see <see cref="MassCancelFanOut"/>).</summary>
internal sealed class MassCancelCompletion(BinarySession session, ulong requestId, int shards) : MassCancelFanOut(shards)
{
    protected override void Finished(int canceled)
        => session.EnqueueImmediate(new BinaryMessage { Type = MessageType.MassCancelDone, ClientOrderId = requestId, Count = (uint)canceled });

    protected override void AfterDurable() => session.NotifyDurable();
}
