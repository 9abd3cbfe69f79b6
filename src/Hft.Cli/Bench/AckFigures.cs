namespace Hft.Cli.Bench;

/// <summary>
/// What the gateway side of the <c>pipeline</c> scenario saw in its throughput pass: commands answered (their
/// acknowledgment encoded) and not, messages and bytes encoded (answers, fills, cancels), commands that had to wait in
/// the outbox for their journal record, journal records written; and the answers of the latency pass.
/// </summary>
internal sealed record AckFigures(long Acks, long Unacknowledged, long Messages, long Bytes, long DurabilityWaits, long JournalRecords,
    string JournalMode, long LatencyPassAcks);
