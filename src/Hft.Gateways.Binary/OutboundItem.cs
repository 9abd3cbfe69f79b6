namespace Hft.Gateways.Binary;

/// <summary>
/// A response waiting in a session's outbound queue. One that reports a state change (accepted, fill, canceled,
/// replaced) may leave only once its command is durable: the command was being processed by shard
/// <see cref="Shard"/> when the shard's processed count was <see cref="ProcessedBefore"/>; once that count has moved
/// past, the command is in the journal at or below the journal's last sequence read then (<see cref="JournalBound"/>),
/// and the response leaves when the journal is durable up to that bound.
/// </summary>
internal struct OutboundItem
{
    public BinaryMessage Message;
    public bool NeedsDurable;
    public int Shard;
    public long ProcessedBefore;

    /// <summary>0 until the command is known to be appended; then a journal sequence at or above the command's.</summary>
    public long JournalBound;
}
