namespace Hft.Configuration;

public sealed record JournalConfig
{
    public string Dir { get; init; } = "data";

    /// <summary>sync | async | none.</summary>
    public string Mode { get; init; } = "none";

    /// <summary>A journal segment rolls over at this size (MiB).</summary>
    public int SegmentMegabytes { get; init; } = 64;

    /// <summary>Async mode: the journal is fsynced at least this often (the documented loss window).</summary>
    public int FsyncIntervalMs { get; init; } = 10;

    /// <summary>Start-up only (<c>hft serve --repair</c>): cut a corrupt journal at the first bad record instead of refusing to start.</summary>
    public bool Repair { get; init; }

    /// <summary>Seconds between periodic snapshots; 0 = only on shutdown and by admin command.</summary>
    public int SnapshotIntervalSeconds { get; init; } = 300;

    private static readonly string[] Modes = ["sync", "async", "none"];

    internal static JournalConfig Bind(SectionReader r, JournalConfig defaults) => new()
    {
        Dir = r.String("dir", defaults.Dir),
        Mode = r.String("mode", defaults.Mode).Trim().ToLowerInvariant(),
        SegmentMegabytes = r.Int("segment_megabytes", defaults.SegmentMegabytes, 1, 4096),
        FsyncIntervalMs = r.Int("fsync_interval_ms", defaults.FsyncIntervalMs, 1, 10_000),
        SnapshotIntervalSeconds = r.Int("snapshot_interval_seconds", defaults.SnapshotIntervalSeconds, 0, 86_400),
    };

    internal void Validate(BindContext ctx)
    {
        if (Array.IndexOf(Modes, Mode) < 0)
            throw ctx.Error("journal", "mode", $"must be one of {string.Join(", ", Modes)}, got \"{Mode}\"");
        if (string.IsNullOrWhiteSpace(Dir)) throw ctx.Error("journal", "dir", "must not be empty");
    }
}
