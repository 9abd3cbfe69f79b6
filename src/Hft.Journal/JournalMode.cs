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
/// Told each time the journal's durable sequence moves (everything up to it is as durable as the mode promises), and
/// once if the journal fails (nothing after the last durable sequence will ever be). Called on the thread that made
/// the records durable - the journal thread, or an appender that wrote them itself (<see cref="JournalWriter.Flush"/>) -
/// possibly out of order between threads: take the highest value seen. Must be quick and must not throw.
/// </summary>
public interface IDurableListener
{
    void OnDurable(long upTo);

    void OnFailed(Exception failure);
}

public static class JournalModes
{
    /// <summary>The mode named in <c>[journal] mode</c> (sync, async; anything else the validator let through: none).</summary>
    public static JournalMode Parse(string mode) => mode switch
    {
        "sync" => JournalMode.Sync,
        "async" => JournalMode.Async,
        _ => JournalMode.None,
    };
}
