using Hft.Core.Tests.Property;

namespace Hft.Core.Tests.Performance;

/// <summary>The hot path must not allocate: a sized engine processes a long mixed stream with zero managed allocation.</summary>
public class ZeroAllocationTests
{
    private static OrderCommand[] MixedStream(int seed, int count, long idOffset)
    {
        var random = new Random(seed);
        var rows = new int[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new int[CommandStreamGen.Dice];
            for (int k = 0; k < rows[i].Length; k++) rows[i][k] = random.Next(1000);
        }
        var commands = CommandStreamGen.Build(rows);
        for (int i = 0; i < commands.Length; i++) commands[i].OrderId += idOffset;
        return commands;
    }

    private static long Run(MatchingEngine engine, OrderCommand[] commands)
    {
        long events = 0;
        for (int i = 0; i < commands.Length; i++) events += engine.Process(in commands[i]).Length;
        return events;
    }

    [Fact]
    public void Sized_engine_processes_100k_mixed_commands_without_allocating()
    {
        var engine = TestMarket.Engine(3, new EngineOptions
        {
            OrderCapacity = 1 << 17, OrderIdCapacity = 1 << 19, LevelCapacity = 1024, EventCapacity = 1024,
        });
        var warmUp = MixedStream(1, 100_000, 0);
        var measured = MixedStream(2, 100_000, 10_000_000);
        Run(engine, warmUp);
        Run(engine, warmUp); // all duplicates / unknown orders now: exercises the reject paths too

        long before = GC.GetAllocatedBytesForCurrentThread();
        long events = Run(engine, measured);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(engine.Counters.Trades > 10_000, $"only {engine.Counters.Trades} trades: the stream is not exercising matching");
        Assert.True(events > measured.Length);
        Assert.Null(Hft.Core.Book.BookInvariants.Check(engine));
    }
}
