using static Hft.Core.Orders.Side;

namespace Hft.Core.Tests.Golden;

/// <summary>Icebergs, hand-derived: only the slice shows, a refreshed slice loses time priority, hidden liquidity still fills.</summary>
public class IcebergGoldenTests
{
    private readonly GoldenEngine _g = new();

    [Fact]
    public void Only_the_slice_shows_and_a_refreshed_slice_goes_to_the_back_of_its_level()
    {
        _g.Rest(Cmd.Iceberg(1, 1, Sell, 100, 10, display: 3), Cmd.Limit(2, 1, Sell, 100, 2));
        Assert.Equal([new LevelView(100, 5, 2)], _g.L2(Sell));

        Assert.Equal(
        [
            Expect.Accepted(3, 2, Buy, 100, 4),
            Expect.Trade(100, 3, (3, 2), Buy, 1, (1, 1), 7),
            Expect.Refreshed(1, 1, Sell, 100, 3, 7),
            Expect.Trade(100, 1, (3, 2), Buy, 0, (2, 1), 1),
        ], _g.Run(Cmd.Limit(3, 2, Buy, 100, 4)));
        Assert.Equal([2L, 1L], _g.Queue(Sell));
        Assert.Equal([new LevelView(100, 4, 2)], _g.L2(Sell));
        Assert.True(_g.Engine.TryGetOrder(1, out var view) && view.Remaining == 7);
    }

    [Fact]
    public void A_large_taker_takes_the_hidden_reserve_slice_by_slice_and_fok_counts_it()
    {
        _g.Rest(Cmd.Iceberg(1, 1, Sell, 100, 5, display: 2));
        Assert.Equal(
        [
            Expect.Accepted(2, 2, Buy, 100, 5),
            Expect.Trade(100, 2, (2, 2), Buy, 3, (1, 1), 3),
            Expect.Refreshed(1, 1, Sell, 100, 2, 3),
            Expect.Trade(100, 2, (2, 2), Buy, 1, (1, 1), 1),
            Expect.Refreshed(1, 1, Sell, 100, 1, 1),
            Expect.Trade(100, 1, (2, 2), Buy, 0, (1, 1), 0),
        ], _g.Run(Cmd.Limit(2, 2, Buy, 100, 5, TimeInForce.Fok)));
        Assert.Empty(_g.L3(Sell));
    }

    [Fact]
    public void Display_must_be_positive_at_most_the_quantity_and_cut_it_into_at_most_100_slices()
    {
        Assert.Equal([Expect.Rejected(1, 1, CommandOp.New, RejectReason.InvalidDisplayQty)], _g.Run(Cmd.Iceberg(1, 1, Sell, 100, 5, 6)));
        Assert.Equal([Expect.Rejected(2, 1, CommandOp.New, RejectReason.InvalidDisplayQty)], _g.Run(Cmd.Iceberg(2, 1, Sell, 100, 101, 1)));
        var ioc = Cmd.Iceberg(3, 1, Sell, 100, 5, 1);
        ioc.Tif = TimeInForce.Ioc;
        Assert.Equal([Expect.Rejected(3, 1, CommandOp.New, RejectReason.InvalidDisplayQty)], _g.Run(ioc));
    }

    [Fact]
    public void Replace_down_keeps_priority_and_shrinks_the_reserve_first()
    {
        _g.Rest(Cmd.Iceberg(1, 1, Sell, 100, 10, display: 3), Cmd.Limit(2, 1, Sell, 100, 2));
        Assert.Equal([Expect.Replaced(1, 1, Sell, 100, 4)], _g.Run(Cmd.ReplaceQty(1, 1, 4)));
        Assert.Equal([1L, 2L], _g.Queue(Sell));
        Assert.Equal([new LevelView(100, 5, 2)], _g.L2(Sell));
        Assert.Equal([Expect.Replaced(1, 1, Sell, 100, 2)], _g.Run(Cmd.ReplaceQty(1, 1, 2)));
        Assert.Equal([new LevelView(100, 4, 2)], _g.L2(Sell));
    }
}
