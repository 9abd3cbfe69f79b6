namespace Hft.Configuration;

public sealed record LatencyProfilingConfig
{
    public bool Enabled { get; init; } = true;

    /// <summary>Share of orders whose per-stage latency is recorded, 0..1.</summary>
    public double SampleRate { get; init; } = 1.0;

    internal static LatencyProfilingConfig Bind(SectionReader r, LatencyProfilingConfig defaults) => new()
    {
        Enabled = r.Bool("enabled", defaults.Enabled),
        SampleRate = r.Double("sample_rate", defaults.SampleRate, 0.0, 1.0),
    };
}
