using static Hft.Core.Orders.Side;

namespace Hft.Core.Tests.Golden;

/// <summary>L1 (best), L2 (levels) and L3 (orders) queries, including truncation to the caller's buffer.</summary>
public class BookQueryGoldenTests
{
    private readonly GoldenEngine _g = new();

    private OrderBook Book => _g.Engine.Book(0)!;

    public BookQueryGoldenTests()
        => _g.Rest(
            Cmd.Limit(1, 1, Buy, 99, 5), Cmd.Limit(2, 2, Buy, 100, 3), Cmd.Limit(3, 3, Buy, 99, 2), Cmd.Limit(4, 1, Buy, 97, 7),
            Cmd.Limit(5, 2, Sell, 102, 4), Cmd.Limit(6, 3, Sell, 101, 1), Cmd.Limit(7, 1, Sell, 101, 6));

    [Fact]
    public void L1_gives_best_price_total_and_count_of_each_side()
    {
        Assert.True(Book.TryGetBest(Buy, out var bid));
        Assert.Equal(new LevelView(100, 3, 1), bid);
        Assert.True(Book.TryGetBest(Sell, out var ask));
        Assert.Equal(new LevelView(101, 7, 2), ask);
    }

    [Fact]
    public void L1_of_an_empty_side_is_false()
    {
        Assert.False(_g.Engine.Book(1)!.TryGetBest(Buy, out var best));
        Assert.Equal(default, best);
        Assert.Equal(0, _g.Engine.Book(1)!.CopyLevels(Sell, new LevelView[4]));
        Assert.Equal(0, _g.Engine.Book(1)!.CopyOrders(Sell, new OrderView[4]));
    }

    [Fact]
    public void L2_lists_levels_best_first()
    {
        Assert.Equal([new LevelView(100, 3, 1), new LevelView(99, 7, 2), new LevelView(97, 7, 1)], _g.L2(Buy));
        Assert.Equal([new LevelView(101, 7, 2), new LevelView(102, 4, 1)], _g.L2(Sell));
        Assert.Equal(3, Book.LevelCount(Buy));
        Assert.Equal(7, Book.OrderCount);
    }

    [Fact]
    public void L2_stops_at_the_buffer_size()
    {
        var buffer = new LevelView[2];
        Assert.Equal(2, Book.CopyLevels(Buy, buffer));
        Assert.Equal([new LevelView(100, 3, 1), new LevelView(99, 7, 2)], buffer);
    }

    [Fact]
    public void L3_lists_orders_in_priority_order()
    {
        Assert.Equal(
        [
            new OrderView(2, 2, Buy, 100, 3), new OrderView(1, 1, Buy, 99, 5), new OrderView(3, 3, Buy, 99, 2),
            new OrderView(4, 1, Buy, 97, 7),
        ], _g.L3(Buy));
        Assert.Equal([new OrderView(6, 3, Sell, 101, 1), new OrderView(7, 1, Sell, 101, 6), new OrderView(5, 2, Sell, 102, 4)], _g.L3(Sell));
    }

    [Fact]
    public void L3_stops_at_the_buffer_size_even_inside_a_level()
    {
        var buffer = new OrderView[2];
        Assert.Equal(2, Book.CopyOrders(Buy, buffer));
        Assert.Equal([new OrderView(2, 2, Buy, 100, 3), new OrderView(1, 1, Buy, 99, 5)], buffer);
    }

    [Fact]
    public void Queries_follow_fills_and_cancels()
    {
        _g.Run(Cmd.Limit(8, 2, Sell, 99, 4)); // takes 100x3 and 1 of order 1
        _g.Run(Cmd.Cancel(6, 3));
        Assert.True(Book.TryGetBest(Buy, out var bid));
        Assert.Equal(new LevelView(99, 6, 2), bid);
        Assert.Equal([new LevelView(101, 6, 1), new LevelView(102, 4, 1)], _g.L2(Sell));
        Assert.Equal(new OrderView(1, 1, Buy, 99, 4), _g.L3(Buy)[0]);
    }
}
