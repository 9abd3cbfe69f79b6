using Hft.Core.Instruments;
using Hft.Core.Numerics;

namespace Hft.Core.Tests.Support;

/// <summary>Builds engines trading a fixed set of instruments (tick 0.01, lot 1) for tests.</summary>
public static class TestMarket
{
    public static readonly string[] Symbols = ["AAA", "BBB", "CCC"];

    /// <summary>Small pools, so that growth paths are exercised as well.</summary>
    public static readonly EngineOptions Small = new()
    {
        OrderCapacity = 16, OrderIdCapacity = 16, LevelCapacity = 4, EventCapacity = 4,
    };

    public static InstrumentRegistry Registry(int count = 3)
    {
        var reg = new InstrumentRegistry();
        var tick = new ScaledUnit(1, 2);
        var lot = new ScaledUnit(1, 0);
        for (int i = 0; i < count; i++)
            if (!reg.TryAdd(Symbols[i], tick, lot, out _, out var error)) throw new InvalidOperationException(error);
        return reg;
    }

    /// <summary>An engine with instruments 0..count-1.</summary>
    public static MatchingEngine Engine(int count = 3, EngineOptions? options = null)
    {
        var engine = new MatchingEngine(options);
        foreach (var instrument in Registry(count).All) engine.AddInstrument(instrument);
        return engine;
    }
}
