namespace Hft.Gateways.Binary;

/// <summary>
/// A response waiting in a session's outbound queue: released, in queue order, once the journal record of the command
/// that produced it is durable (<see cref="Hft.Pipeline.Durability.DurableOutbox"/>; 0 = nothing to wait for).
/// </summary>
internal struct OutboundItem
{
    public BinaryMessage Message;
    public long Sequence;
}
