using Hft.Core.Matching;

namespace Hft.Cli.Replay;

public enum ReplayLineKind : byte
{
    /// <summary>Blank line: nothing to do.</summary>
    Empty = 0,

    /// <summary>An instrument was defined (already added to the registry).</summary>
    Instrument = 1,

    /// <summary>An order command for the engine.</summary>
    Command = 2,
}

/// <summary>What one parsed line asks for.</summary>
public struct ReplayLine
{
    public ReplayLineKind Kind;
    public int InstrumentIndex;
    public OrderCommand Command;
}
