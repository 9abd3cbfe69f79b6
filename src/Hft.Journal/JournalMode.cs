namespace Hft.Journal;

/// <summary><c>[journal] mode</c>: when an acknowledgment may leave the server.</summary>
public enum JournalMode : byte
{
    /// <summary>No journal (development and benchmarks only; logged loudly): a crash loses everything.</summary>
    None = 0,

    /// <summary>Acknowledge after the batch is written and fsynced: RPO 0 for acknowledged orders.</summary>
    Sync = 1,

    /// <summary>Acknowledge after the batch is written to the OS; fsync every <c>fsync_interval_ms</c>: a power loss may lose that window.</summary>
    Async = 2,
}

/// <summary>
/// Told on the journal thread when a record it appended is as durable as the mode promises, or with
/// <c>sequence = -1</c> when the journal failed and the record can never be made durable.
/// </summary>
public interface IDurableCallback
{
    void OnDurable(long sequence);
}
