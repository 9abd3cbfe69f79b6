using static Hft.Core.Orders.Side;

namespace Hft.Core.Tests.Golden;

/// <summary>Price-time priority: better prices first across levels, arrival order within a level.</summary>
public class PriorityGoldenTests
{
    private readonly GoldenEngine _g = new();

    [Fact]
    public void Asks_fill_lowest_price_first_whatever_the_arrival_order()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 102, 1), Cmd.Limit(2, 1, Sell, 100, 1), Cmd.Limit(3, 1, Sell, 101, 1));
        Assert.Equal(
        [
            Expect.Accepted(4, 2, Buy, 105, 3),
            Expect.Trade(100, 1, (4, 2), Buy, 2, (2, 1), 0),
            Expect.Trade(101, 1, (4, 2), Buy, 1, (3, 1), 0),
            Expect.Trade(102, 1, (4, 2), Buy, 0, (1, 1), 0),
        ], _g.Run(Cmd.Limit(4, 2, Buy, 105, 3)));
    }

    [Fact]
    public void Bids_fill_highest_price_first_whatever_the_arrival_order()
    {
        _g.Rest(Cmd.Limit(1, 1, Buy, 98, 1), Cmd.Limit(2, 1, Buy, 100, 1), Cmd.Limit(3, 1, Buy, 99, 1));
        Assert.Equal([2L, 3L, 1L], _g.Queue(Buy));
        Assert.Equal(
        [
            Expect.Accepted(4, 2, Sell, 99, 3),
            Expect.Trade(100, 1, (4, 2), Sell, 2, (2, 1), 0),
            Expect.Trade(99, 1, (4, 2), Sell, 1, (3, 1), 0),
            Expect.Canceled(4, 2, Sell, 99, 1, CancelReason.IocRemainder),
        ], _g.Run(Cmd.Limit(4, 2, Sell, 99, 3, TimeInForce.Ioc)));
        Assert.Equal([1L], _g.Queue(Buy));
    }

    [Fact]
    public void Within_a_level_earlier_orders_fill_first_and_the_last_one_partly()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 2), Cmd.Limit(2, 2, Sell, 100, 2), Cmd.Limit(3, 3, Sell, 100, 2));
        Assert.Equal(
        [
            Expect.Accepted(4, 4, Buy, 100, 5),
            Expect.Trade(100, 2, (4, 4), Buy, 3, (1, 1), 0),
            Expect.Trade(100, 2, (4, 4), Buy, 1, (2, 2), 0),
            Expect.Trade(100, 1, (4, 4), Buy, 0, (3, 3), 1),
        ], _g.Run(Cmd.Limit(4, 4, Buy, 100, 5)));
        Assert.Equal([new Book.OrderView(3, 3, Sell, 100, 1)], _g.L3(Sell));
    }

    [Fact]
    public void A_partly_filled_maker_keeps_its_place_at_the_front()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 5), Cmd.Limit(2, 2, Sell, 100, 5));
        _g.Run(Cmd.Limit(3, 3, Buy, 100, 2));
        Assert.Equal([1L, 2L], _g.Queue(Sell));
        Assert.Equal(Expect.Trade(100, 3, (4, 3), Buy, 0, (1, 1), 0), _g.Run(Cmd.Limit(4, 3, Buy, 100, 3))[1]);
    }

    [Fact]
    public void Books_of_different_instruments_never_interact()
    {
        _g.Rest(Cmd.Limit(1, 1, Sell, 100, 5, ins: 1));
        Assert.Equal([Expect.Accepted(2, 2, Buy, 100, 5)], _g.Run(Cmd.Limit(2, 2, Buy, 100, 5)));
        Assert.Equal([1L], _g.Queue(Sell, 1));
        Assert.Equal([2L], _g.Queue(Buy, 0));
    }
}
