using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;

namespace Hft.Benchmarks;

/// <summary>
/// A fresh engine with one instrument and a standing two-sided book: <see cref="Levels"/> levels per side,
/// <see cref="OrdersPerLevel"/> orders each, bids at Mid-1 and below, asks at Mid+1 and above. Sized so that
/// nothing grows during a benchmark iteration. Built in the iteration set-up (untimed).
/// </summary>
internal static class BookFixture
{
    public const long Mid = 100_000;
    public const int Levels = 100;
    public const int OrdersPerLevel = 10;
    public const int Account = 1;

    public static MatchingEngine Create(int extraOrders, out long nextId)
    {
        var registry = new InstrumentRegistry();
        registry.TryAdd("BENCH", new ScaledUnit(1, 2), new ScaledUnit(1, 0), out var instrument, out _);
        int standing = 2 * Levels * OrdersPerLevel;
        var engine = new MatchingEngine(new EngineOptions
        {
            OrderCapacity = standing + extraOrders + 1024,
            OrderIdCapacity = 2 * (standing + extraOrders) + 1024,
            LevelCapacity = 4 * Levels + 1024,
            EventCapacity = 1024,
        });
        engine.AddInstrument(instrument);
        long id = 1;
        for (int level = 1; level <= Levels; level++)
        {
            for (int k = 0; k < OrdersPerLevel; k++)
            {
                var bid = OrderCommand.NewLimit(id++, Account, 0, Side.Buy, Mid - level, 10);
                engine.Process(in bid);
                var ask = OrderCommand.NewLimit(id++, Account, 0, Side.Sell, Mid + level, 10);
                engine.Process(in ask);
            }
        }
        nextId = id;
        return engine;
    }
}
