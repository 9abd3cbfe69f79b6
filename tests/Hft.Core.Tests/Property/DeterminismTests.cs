using System.Text;
using CsCheck;

namespace Hft.Core.Tests.Property;

/// <summary>Same commands in, same events out: two engines (of different pool sizes) fed the same stream agree byte for byte.</summary>
public class DeterminismTests
{
    private static readonly EngineOptions s_roomy = new() { OrderCapacity = 4096, OrderIdCapacity = 4096, LevelCapacity = 256, EventCapacity = 256 };

    private static string Serialize(MatchingEngine engine, OrderCommand[] commands)
    {
        var sb = new StringBuilder();
        foreach (var cmd in commands)
        {
            foreach (ref readonly var e in engine.Process(in cmd)) EventText.AppendFull(sb, in e);
            sb.Append("--\n");
        }
        return sb.ToString();
    }

    [Fact]
    public void Two_engines_produce_identical_event_streams()
    {
        CommandStreamGen.Streams.Sample(commands =>
        {
            string first = Serialize(TestMarket.Engine(3, TestMarket.Small), commands);
            string second = Serialize(TestMarket.Engine(3, s_roomy), commands);
            Assert.Equal(first, second);
            Assert.Contains("\n3|", "\n" + first); // the stream traded at least once
        }, iter: 300, print: CommandText.Describe);
    }

    [Fact]
    public void Replaying_a_stream_gives_the_same_books()
    {
        var random = new Random(7);
        var commands = CommandStreamGen.Build(Enumerable.Range(0, 2000).Select(_ => Enumerable.Range(0, CommandStreamGen.Dice).Select(_ => random.Next(1000)).ToArray()).ToArray());
        var a = TestMarket.Engine(3);
        var b = TestMarket.Engine(3);
        Assert.Equal(Serialize(a, commands), Serialize(b, commands));
        foreach (int ins in new[] { 0, 1, 2 })
            foreach (var side in new[] { Orders.Side.Buy, Orders.Side.Sell })
            {
                Assert.Equal(BookComparison.Orders(a.Book(ins)!, side), BookComparison.Orders(b.Book(ins)!, side));
            }
        Assert.Equal(a.Counters, b.Counters);
    }
}
