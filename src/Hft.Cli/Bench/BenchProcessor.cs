using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline.Shards;
using Hft.Risk;

namespace Hft.Cli.Bench;

/// <summary>
/// What a measured loop runs per command. Implemented by structs only, and the loops are generic
/// (<c>where T : struct, IBenchProcessor</c>), so the JIT compiles one specialized loop per processor: the
/// engine-only scenarios' loops call <see cref="MatchingEngine.Process"/> directly, with no virtual or
/// interface dispatch added.
/// </summary>
internal interface IBenchProcessor
{
    MatchingEngine Engine { get; }

    ReadOnlySpan<EngineEvent> Process(in OrderCommand cmd);
}

/// <summary>The matching engine alone.</summary>
internal readonly struct EngineProcessor(MatchingEngine engine) : IBenchProcessor
{
    public MatchingEngine Engine => engine;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<EngineEvent> Process(in OrderCommand cmd) => engine.Process(in cmd);
}

/// <summary>
/// The server's one command step (<see cref="CommandStep.Decide(ref OrderCommand)"/>): the engine's validation, pre-trade risk (a
/// rejection becomes the command's <see cref="OrderCommand.EdgeReject"/>), matching, settlement of every account under
/// its lock - what every shard, replay and recovery run.
/// </summary>
internal readonly struct RiskPipelineProcessor(CommandStep step) : IBenchProcessor
{
    public MatchingEngine Engine => step.Engine;

    public RiskStage Risk => step.Risk;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<EngineEvent> Process(in OrderCommand source)
    {
        // Risk may give a market order its band protection price: work on a copy, the stream stays unchanged.
        var cmd = source;
        var events = step.Decide(ref cmd);
        // The span is the engine's event buffer, not the local copy (the compiler cannot tell): re-create it
        // from its reference so it may be returned. No copy, no cost.
        return MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetReference(events), events.Length);
    }
}
