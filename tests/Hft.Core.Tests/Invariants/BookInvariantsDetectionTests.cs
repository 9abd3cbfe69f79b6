using System.Runtime.CompilerServices;
using static Hft.Core.Orders.Side;

namespace Hft.Core.Tests.Invariants;

/// <summary>
/// The checker must catch each kind of corruption. A healthy engine is built, one piece of internal state
/// is broken on purpose (the test project sees the engine's internals), and the checker must name it.
/// </summary>
public class BookInvariantsDetectionTests
{
    private readonly MatchingEngine _engine = TestMarket.Engine(1);

    public BookInvariantsDetectionTests()
    {
        foreach (var cmd in new[]
                 {
                     Cmd.Limit(1, 1, Buy, 100, 5), Cmd.Limit(2, 2, Buy, 100, 3), Cmd.Limit(3, 1, Buy, 99, 4),
                     Cmd.Limit(4, 2, Sell, 101, 6), Cmd.Limit(5, 1, Sell, 102, 2),
                     Cmd.Limit(6, 3, Sell, 101, 1), // trades nothing: rests behind 4
                     Cmd.Limit(7, 3, Buy, 101, 2),  // takes 2 of order 4
                 })
            _engine.Process(in cmd);
        Assert.Null(BookInvariants.Check(_engine));
    }

    private OrderBook Book => _engine.Book(0)!;

    private ref RestingOrder Order(long id)
    {
        int slot = _engine.Ids.Find(id);
        Assert.True(slot >= 0, $"order {id} is not live");
        return ref _engine.Orders[slot];
    }

    private ref PriceLevel LevelOf(long id) => ref Book.Level(Order(id).Level);

    private void AssertDetected(string fragment)
    {
        string? problem = BookInvariants.Check(_engine);
        Assert.NotNull(problem);
        Assert.Contains(fragment, problem);
    }

    [Fact]
    public void Detects_a_crossed_book()
    {
        Order(4).Price = 99; // best ask level (101) moved below the best bid (100), with its orders
        Order(6).Price = 99;
        LevelOf(4).Price = 99;
        AssertDetected("crossed");
    }

    [Fact]
    public void Detects_levels_out_of_price_order()
    {
        LevelOf(1).Price = 98; // best bid level now worse than the next one (99)
        Order(1).Price = 98;
        Order(2).Price = 98;
        AssertDetected("is not worse than the level before");
    }

    [Fact]
    public void Detects_broken_fifo()
    {
        (Order(1).Sequence, Order(2).Sequence) = (Order(2).Sequence, Order(1).Sequence);
        AssertDetected("breaks FIFO");
    }

    [Fact]
    public void Detects_a_wrong_level_total()
    {
        LevelOf(4).TotalQuantity += 1;
        AssertDetected("totals");
    }

    [Fact]
    public void Detects_a_wrong_level_count()
    {
        LevelOf(1).Count += 1;
        AssertDetected("counts 3 orders, holds 2");
    }

    [Fact]
    public void Detects_an_order_at_the_wrong_price_for_its_level()
    {
        Order(2).Price = 97;
        AssertDetected("price 97 in level 100");
    }

    [Fact]
    public void Detects_an_order_on_the_wrong_side()
    {
        Order(3).Side = Sell;
        AssertDetected("rests on the Buy side");
    }

    [Fact]
    public void Detects_an_empty_order_in_the_book()
    {
        LevelOf(5).TotalQuantity -= Order(5).Remaining;
        Order(5).Remaining = 0;
        AssertDetected("rests with remaining 0");
    }

    [Fact]
    public void Detects_a_broken_back_link()
    {
        Order(2).Prev = -1;
        AssertDetected("broken back link");
    }

    [Fact]
    public void Detects_a_stale_id_index()
    {
        _engine.Ids.MarkDead(3);
        AssertDetected("id index does not point at order 3");
    }

    [Fact]
    public void Detects_a_live_slot_no_book_reaches()
    {
        _engine.Orders.Allocate();
        AssertDetected("live order slots");
    }

    [Fact]
    public void Detects_quantity_created_out_of_thin_air()
    {
        Order(3).Remaining += 1; // level total kept consistent: only conservation can notice
        LevelOf(3).TotalQuantity += 1;
        AssertDetected("quantity not conserved");
    }

    [Fact]
    public void Detects_counters_that_do_not_add_up()
    {
        Unsafe.AsRef(in _engine.Counters).CanceledQuantity += 1;
        AssertDetected("quantity not conserved");
    }
}
