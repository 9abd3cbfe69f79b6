using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Hft.Core.Events;
using Hft.Core.Matching;
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
/// The full single-thread pipeline, in the order of <c>Replay/ReplayPipeline</c>: the engine validates a new
/// order or replace, pre-trade risk checks it (a rejection becomes the command's <see cref="OrderCommand.EdgeReject"/>),
/// the engine processes it, and risk settles the events.
/// </summary>
internal readonly struct RiskPipelineProcessor(MatchingEngine engine, RiskStage risk) : IBenchProcessor
{
    public MatchingEngine Engine => engine;

    public RiskStage Risk => risk;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<EngineEvent> Process(in OrderCommand source)
    {
        // Check may give a market order its band protection price: work on a copy, the stream stays unchanged.
        var cmd = source;
        risk.PreTrade(engine, ref cmd);
        var events = engine.Process(in cmd);
        risk.Apply(events);
        // The span is the engine's event buffer, not the local copy (the compiler cannot tell): re-create it
        // from its reference so it may be returned. No copy, no cost.
        return MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetReference(events), events.Length);
    }
}
