namespace Hft.Core.Tests.Support;

/// <summary>An engine with two instruments (0 and 1) for hand-written scenarios; checks invariants after every command.</summary>
public sealed class GoldenEngine
{
    public MatchingEngine Engine { get; } = TestMarket.Engine(2);

    /// <summary>Runs one command; returns its events as text.</summary>
    public string[] Run(OrderCommand cmd)
    {
        var events = EventText.Meaningful(Engine.Process(in cmd));
        Assert.Null(BookInvariants.Check(Engine));
        return events;
    }

    /// <summary>Set-up: runs commands that must each be accepted without any trade or cancel.</summary>
    public void Rest(params OrderCommand[] commands)
    {
        foreach (var cmd in commands)
        {
            var events = Engine.Process(in cmd);
            Assert.True(events.Length == 1 && events[0].Kind == EventKind.Accepted,
                $"set-up command {CommandText.Describe(in cmd)} did not simply rest: {string.Join("; ", EventText.Meaningful(events))}");
        }
        Assert.Null(BookInvariants.Check(Engine));
    }

    public OrderView[] L3(Side side, int ins = 0) => BookComparison.Orders(Engine.Book(ins)!, side);

    public LevelView[] L2(Side side, int ins = 0) => BookComparison.Levels(Engine.Book(ins)!, side);

    /// <summary>Resting order ids of a side in priority order.</summary>
    public long[] Queue(Side side, int ins = 0) => L3(side, ins).Select(o => o.OrderId).ToArray();
}
