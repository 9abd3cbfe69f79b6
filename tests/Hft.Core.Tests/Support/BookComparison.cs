using Hft.Core.Book;
using Hft.Core.Matching;
using Hft.Core.Orders;
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
            }
        }
        if (live != model.LiveOrderCount || live != engine.Orders.Live)
            throw new Xunit.Sdk.XunitException($"live orders: engine books {live}, engine store {engine.Orders.Live}, model {model.LiveOrderCount}");
    }
}
