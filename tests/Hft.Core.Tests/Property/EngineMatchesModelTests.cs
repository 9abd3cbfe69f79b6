using CsCheck;
using Hft.Core.Tests.Model;

namespace Hft.Core.Tests.Property;

/// <summary>
/// Model-based test: random command streams go through the engine and through <see cref="SimpleBookModel"/>;
/// every event, the L1 of the command's book after every command, the L2 and L3 of every book every 25 commands
/// and at the end must agree, and the
/// engine's structural invariants must hold after every command.
/// </summary>
public class EngineMatchesModelTests
{
    private static readonly int[] s_instruments = [0, 1, 2];
    private static readonly Side[] s_sides = [Side.Buy, Side.Sell];

    [Fact]
    public void Engine_and_reference_model_agree_on_random_streams()
    {
        CommandStreamGen.Streams.Sample(RunAgainstModel, iter: 5000, print: CommandText.Describe);
    }

    [Fact]
    public void Engine_and_reference_model_agree_on_long_streams_with_default_sizes()
    {
        CommandStreamGen.Streams.Select(s => s.Concat(s.Select(c => Shifted(c, 5000))).ToArray())
            .Sample(RunAgainstModelWithDefaultOptions, iter: 40, print: CommandText.Describe);
    }

    private static OrderCommand Shifted(OrderCommand c, long by)
    {
        c.OrderId += by;
        return c;
    }

    private static void RunAgainstModelWithDefaultOptions(OrderCommand[] commands)
        => Run(commands, new MatchingEngine());

    private static void RunAgainstModel(OrderCommand[] commands)
        => Run(commands, TestMarket.Engine(3, TestMarket.Small));

    private static void Run(OrderCommand[] commands, MatchingEngine engine)
    {
        if (engine.Book(0) is null)
            foreach (var instrument in TestMarket.Registry().All) engine.AddInstrument(instrument);
        var model = new SimpleBookModel(s_instruments);
        for (int i = 0; i < commands.Length; i++)
        {
            var actual = EventText.Meaningful(engine.Process(in commands[i]));
            var expected = model.Process(commands[i]).Select(e => EventText.Meaningful(in e)).ToArray();
            if (!actual.SequenceEqual(expected))
                throw new Xunit.Sdk.XunitException(
                    $"events differ at command #{i} {CommandText.Describe(in commands[i])}\n" +
                    $"model:\n  {string.Join("\n  ", expected)}\nengine:\n  {string.Join("\n  ", actual)}");
            string? broken = BookInvariants.Check(engine);
            if (broken is not null)
                throw new Xunit.Sdk.XunitException($"invariant broken after command #{i} {CommandText.Describe(in commands[i])}: {broken}");
            if (i % 25 == 24) BookComparison.AssertSameBooks(engine, model, s_instruments);
            int touched = commands[i].Instrument;
            if (touched is < 0 or > 2) continue;
            foreach (int ins in (ReadOnlySpan<int>)[touched])
                foreach (var side in s_sides)
                {
                    var modelLevels = model.Levels(ins, side);
                    bool has = engine.Book(ins)!.TryGetBest(side, out var best);
                    if (has != modelLevels.Count > 0 || (has && best != modelLevels[0]))
                        throw new Xunit.Sdk.XunitException($"L1 {ins} {side} differs after command #{i}: engine {(has ? best : "empty")}, model {(modelLevels.Count > 0 ? modelLevels[0] : "empty")}");
                }
        }
        BookComparison.AssertSameBooks(engine, model, s_instruments);
    }
}
