namespace Hft.Cli.Replay;

/// <summary>A replay line that is not a well-formed command (bad JSON, missing field, unknown op or value).</summary>
public sealed class ReplayFormatException(long line, string reason) : Exception($"line {line}: {reason}")
{
    public long Line { get; } = line;

    public string Reason { get; } = reason;
}
