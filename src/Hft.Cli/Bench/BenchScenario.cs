namespace Hft.Cli.Bench;

/// <summary>
/// One generated benchmark scenario: how many instruments the flow spreads over and how many resting
/// orders (over how many price levels) are loaded, untimed, before the measured mix runs.
/// </summary>
internal sealed record BenchScenario(string Name, int Instruments, int PreloadOrders, int PreloadLevels, string Description)
{
    public static readonly BenchScenario Single =
        new("single", Instruments: 1, PreloadOrders: 0, PreloadLevels: 0, "1 instrument, book built by the flow itself");

    public static readonly BenchScenario Multi =
        new("multi", Instruments: 8, PreloadOrders: 0, PreloadLevels: 0, "8 instruments, commands spread uniformly");

    public static readonly BenchScenario Deep =
        new("deep", Instruments: 1, PreloadOrders: 1_000_000, PreloadLevels: 10_000, "1 instrument, 1,000,000 resting orders over 10,000 levels pre-loaded");

    public static readonly BenchScenario[] All = [Single, Multi, Deep];

    public static BenchScenario? Find(string name)
    {
        foreach (var s in All)
            if (s.Name == name) return s;
        return null;
    }
}
