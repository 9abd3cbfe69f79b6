using BenchmarkDotNet.Attributes;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Benchmarks;

/// <summary>
/// One engine operation per invocation on a standing book (200 levels, 2,000 orders). Each iteration starts
/// from a freshly built book (<see cref="IterationSetupAttribute"/>, untimed) and runs exactly
/// <see cref="Ops"/> invocations, so the book is the same at the start of every iteration and never grows
/// past its pre-sized storage:
/// <list type="bullet">
/// <item><b>Add</b>: rests a non-crossing limit buy (cycling over the 10 best bid levels); the book holds
/// at most 2,000 + Ops orders.</item>
/// <item><b>Cancel</b>: the set-up rests Ops extra orders (untimed); each invocation cancels the next one.</item>
/// <item><b>Match</b>: the set-up rests Ops one-lot asks at a better price than the standing book; each
/// invocation is an IOC buy for one lot at that price, filling exactly one resting order.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[InvocationCount(Ops)]
public class EngineBenchmarks
{
    public const int Ops = 262_144;

    private MatchingEngine _engine = null!;
    private OrderCommand[] _commands = null!;
    private int _next;

    [IterationSetup(Target = nameof(Add))]
    public void SetupAdd()
    {
        _engine = BookFixture.Create(Ops, out long id);
        _commands = new OrderCommand[Ops];
        for (int i = 0; i < Ops; i++)
            _commands[i] = OrderCommand.NewLimit(id + i, BookFixture.Account, 0, Side.Buy, BookFixture.Mid - 1 - (i % 10), 10);
        _next = 0;
    }

    [IterationSetup(Target = nameof(Cancel))]
    public void SetupCancel()
    {
        _engine = BookFixture.Create(Ops, out long id);
        _commands = new OrderCommand[Ops];
        for (int i = 0; i < Ops; i++)
        {
            var rest = OrderCommand.NewLimit(id + i, BookFixture.Account, 0, Side.Buy, BookFixture.Mid - 1 - (i % 10), 10);
            _engine.Process(in rest);
            _commands[i] = OrderCommand.Cancel(id + i, BookFixture.Account, 0);
        }
        _next = 0;
    }

    [IterationSetup(Target = nameof(Match))]
    public void SetupMatch()
    {
        _engine = BookFixture.Create(Ops, out long id);
        _commands = new OrderCommand[Ops];
        // Ops one-lot asks at Mid (better than the standing asks at Mid+1..), then Ops IOC buys of one lot at Mid.
        for (int i = 0; i < Ops; i++)
        {
            var rest = OrderCommand.NewLimit(id++, 2, 0, Side.Sell, BookFixture.Mid, 1);
            _engine.Process(in rest);
        }
        for (int i = 0; i < Ops; i++)
            _commands[i] = OrderCommand.NewLimit(id++, 3, 0, Side.Buy, BookFixture.Mid, 1, TimeInForce.Ioc);
        _next = 0;
    }

    [Benchmark(Description = "add: rest a non-crossing limit")]
    public int Add() => _engine.Process(in _commands[_next++]).Length;

    [Benchmark(Description = "cancel: cancel a resting order")]
    public int Cancel() => _engine.Process(in _commands[_next++]).Length;

    [Benchmark(Description = "match: IOC fills one resting order")]
    public int Match() => _engine.Process(in _commands[_next++]).Length;
}
