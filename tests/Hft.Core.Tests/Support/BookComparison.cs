using Hft.Core.Tests.Model;

namespace Hft.Core.Tests.Support;

/// <summary>Compares the L2 and L3 views of an engine's books with the reference model's.</summary>
public static class BookComparison
{
    public static LevelView[] Levels(OrderBook book, Side side)
    {
        var buffer = new LevelView[book.LevelCount(side) + 1];
        int n = book.CopyLevels(side, buffer);
        return buffer[..n];
    }

    public static OrderView[] Orders(OrderBook book, Side side)
    {
        var buffer = new OrderView[book.OrderCount + 1];
        int n = book.CopyOrders(side, buffer);
        return buffer[..n];
    }

    /// <summary>Pending stops of an instrument: (id, trigger, quantity), rising ones first, each in firing order.</summary>
    public static List<(long Id, long Trigger, long Quantity)> PendingStops(MatchingEngine engine, int instrument)
    {
        var stops = engine.Stops(instrument)!;
        var slots = new int[stops.Count];
        var result = new List<(long, long, long)>();
        foreach (bool onRise in new[] { true, false })
        {
            int n = stops.CopySlots(onRise, slots);
            for (int i = 0; i < n; i++)
                result.Add((engine.Orders[slots[i]].Id, engine.Orders.Terms(slots[i]).TriggerPrice, engine.Orders[slots[i]].Remaining));
        }
        return result;
    }

    public static void AssertSameBooks(MatchingEngine engine, SimpleBookModel model, IEnumerable<int> instruments)
    {
        int live = 0;
        foreach (int ins in instruments)
        {
            var book = engine.Book(ins)!;
            foreach (var side in new[] { Side.Buy, Side.Sell })
            {
                var l2 = Levels(book, side);
                var l3 = Orders(book, side);
                if (!l2.SequenceEqual(model.Levels(ins, side)))
                    throw new Xunit.Sdk.XunitException($"L2 {ins} {side}: engine [{string.Join(", ", l2)}] model [{string.Join(", ", model.Levels(ins, side))}]");
                if (!l3.SequenceEqual(model.Orders(ins, side)))
                    throw new Xunit.Sdk.XunitException($"L3 {ins} {side}: engine [{string.Join(", ", l3)}] model [{string.Join(", ", model.Orders(ins, side))}]");
                live += l3.Length;
                var totals = l3.Select(o => engine.TryGetOrder(o.OrderId, out var v) ? v.Remaining : -1).ToArray();
                var modelTotals = model.Totals(ins, side);
                if (!totals.SequenceEqual(modelTotals))
                    throw new Xunit.Sdk.XunitException($"totals {ins} {side}: engine [{string.Join(", ", totals)}] model [{string.Join(", ", modelTotals)}]");
            }
            var pending = PendingStops(engine, ins);
            if (!pending.SequenceEqual(model.Pending(ins)))
                throw new Xunit.Sdk.XunitException($"pending {ins}: engine [{string.Join(", ", pending)}] model [{string.Join(", ", model.Pending(ins))}]");
            if (engine.Stops(ins)!.LastTrade != model.LastTrade(ins))
                throw new Xunit.Sdk.XunitException($"last trade {ins}: engine {engine.Stops(ins)!.LastTrade} model {model.LastTrade(ins)}");
            live += pending.Count;
        }
        if (live != model.LiveOrderCount || live != engine.Orders.Live)
            throw new Xunit.Sdk.XunitException($"live orders: engine books {live}, engine store {engine.Orders.Live}, model {model.LiveOrderCount}");
    }
}
