namespace Hft.Cli.Bench;

/// <summary>
/// One generated benchmark scenario: how many instruments the flow spreads over and how many resting
/// orders (over how many price levels) are loaded, untimed, before the measured mix runs.
/// </summary>
/// <remarks>
/// <c>TargetPreloaded</c> decides whether cancels and replaces may pick the pre-loaded orders. In <c>deep</c> they do
/// not: the flow cancels and amends its own orders, as real flow mostly does near the top of the book, and the
/// million resting orders are depth that matching and level look-ups must cope with. <c>deep-cold</c> picks
/// uniformly among all live orders, so nearly every cancel touches a cold order in an ~100 MB working set:
/// a memory-latency worst case, reported without a target.
/// <c>risk</c> is <c>single</c>'s flow (same seed salt, so the same random draws) run through the whole pipeline:
/// engine validation, pre-trade risk check, matching, risk settlement (<see cref="RiskProfile"/>). Its commands
/// diverge from <c>single</c>'s after the first risk rejection, since cancels and replaces name live orders only.
/// <c>pipeline</c> is <c>single</c>'s flow again, but from decoded binary order-entry messages through a whole node
/// (<see cref="PipelineRunner"/>) to encoded acknowledgments; it journals to disk and is left out of the default run
/// (<see cref="InDefaultRun"/>).
/// <c>types</c> is one instrument whose flow is 20% stop / take-profit orders and 20% icebergs, the other 60% drawn as
/// in <c>single</c> (<see cref="OrderFlowGenerator"/>, <see cref="OrderTypeMix"/>): trigger cascades, slice refreshes
/// and the stop book's insertions under the same targets as <c>single</c>.
/// </remarks>
internal sealed record BenchScenario(string Name, int Instruments, int PreloadOrders, int PreloadLevels, string Description,
    bool TargetPreloaded = false, bool WithRisk = false, string? StreamOf = null, bool ThroughNode = false, bool InDefaultRun = true,
    bool OrderTypeMix = false)
{
    public static readonly BenchScenario Single =
        new("single", Instruments: 1, PreloadOrders: 0, PreloadLevels: 0, "1 instrument, book built by the flow itself");

    public static readonly BenchScenario Multi =
        new("multi", Instruments: 8, PreloadOrders: 0, PreloadLevels: 0, "8 instruments, commands spread uniformly");

    public static readonly BenchScenario Deep =
        new("deep", Instruments: 1, PreloadOrders: 1_000_000, PreloadLevels: 10_000, "1 instrument, 1,000,000 resting orders over 10,000 levels pre-loaded");

    public static readonly BenchScenario DeepCold =
        new("deep-cold", Instruments: 1, PreloadOrders: 1_000_000, PreloadLevels: 10_000,
            "as deep, but cancels/replaces pick uniformly among all 1M+ live orders (cache-miss worst case)", TargetPreloaded: true);

    public static readonly BenchScenario Risk =
        new("risk", Instruments: 1, PreloadOrders: 0, PreloadLevels: 0,
            "single's flow through validate -> risk check -> matching -> risk settlement, 100 declared accounts with limits",
            WithRisk: true, StreamOf: "single");

    public static readonly BenchScenario Types =
        new("types", Instruments: 1, PreloadOrders: 0, PreloadLevels: 0,
            "1 instrument, 20% stop/stop-limit/take-profit(-limit) orders and 20% icebergs, the rest single's mix", OrderTypeMix: true);

    public static readonly BenchScenario Pipeline =
        new("pipeline", Instruments: 1, PreloadOrders: 0, PreloadLevels: 0,
            "single's flow as decoded binary messages -> order command -> node pipeline (risk, matching, journal async, publishers) -> durable -> encoded acknowledgments",
            StreamOf: "single", ThroughNode: true, InDefaultRun: false);

    public static readonly BenchScenario[] All = [Single, Risk, Multi, Deep, DeepCold, Types, Pipeline];

    /// <summary>The scenario names, for messages: "single, risk, ..., pipeline".</summary>
    public static string Names => string.Join(", ", All.Select(s => s.Name));

    /// <summary>True for the scenario reported without targets (the cache-miss worst case).</summary>
    public static bool HasNoTargets(string name) => name == DeepCold.Name;

    public static BenchScenario? Find(string name)
    {
        foreach (var s in All)
            if (s.Name == name) return s;
        return null;
    }
}
