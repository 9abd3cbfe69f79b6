using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Risk;

namespace Hft.Cli.Bench;

/// <summary>
/// Everything a measured run needs, built before any timing: the instruments, the untimed pre-load,
/// the measured command stream and engine options sized from a dry run so that nothing grows while measuring.
/// </summary>
internal sealed class BenchWorkload
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required InstrumentRegistry Instruments { get; init; }

    /// <summary>Commands run untimed into every engine instance before the measured stream (the deep book).</summary>
    public required OrderCommand[] Preload { get; init; }

    /// <summary>The measured stream.</summary>
    public required OrderCommand[] Commands { get; init; }

    public required EngineOptions Options { get; init; }

    /// <summary>Seed the stream was generated from (null for a replay file).</summary>
    public ulong? Seed { get; init; }

    /// <summary>What the dry run saw: peaks the options were sized from, and the outcome of the stream.</summary>
    public required EngineSizer Sizing { get; init; }

    /// <summary>Accounts the flow uses; with <see cref="WithRisk"/> each is declared with limits (<see cref="RiskProfile"/>).</summary>
    public int Accounts { get; init; } = 100;

    /// <summary>True when the measured loops run the whole pipeline (validate, risk check, matching, risk settlement).</summary>
    public bool WithRisk { get; init; }

    /// <summary>A fresh risk stage with the workload's instruments, accounts and limits, sized like the engine's order store.</summary>
    public RiskStage CreateRisk() => RiskProfile.Create(Instruments, Accounts, Options.OrderCapacity);

    /// <summary>A fresh engine with the workload's instruments and options, pre-load not yet applied.</summary>
    public MatchingEngine CreateEngine()
    {
        var engine = new MatchingEngine(Options);
        foreach (var instrument in Instruments.All) engine.AddInstrument(instrument);
        return engine;
    }
}
