using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Pipeline.State;

namespace Hft.Pipeline.Tests;

/// <summary>The directory knows every decided order, registered by its gateway or not, and releases only client ids it holds.</summary>
public sealed class OrderDirectoryTests
{
    private static EngineEvent Accepted(in OrderCommand c)
        => new() { Kind = EventKind.Accepted, Op = CommandOp.New, Account = c.Account, OrderId = c.OrderId, Price = c.Price, Quantity = c.Quantity };

    private static EngineEvent Canceled(in OrderCommand c)
        => new() { Kind = EventKind.Canceled, Account = c.Account, OrderId = c.OrderId, Remaining = c.Quantity };

    private static void Decide(OrderDirectory d, in OrderCommand c, string? clientOrderId, EngineEvent e)
    {
        d.OnNewOrder(in c, clientOrderId);
        d.OnProcessed(0, in c, [e], 1, default);
    }

    [Fact]
    public void An_order_no_gateway_registered_is_listed_from_its_decided_command()
    {
        var d = new OrderDirectory();
        var cmd = OrderCommand.NewLimit(5, 3, 0, Side.Buy, 4_900_000, 10_000);
        Decide(d, in cmd, "7", Accepted(in cmd));
        var listed = Assert.Single(d.ForAccount(3, openOnly: true, 10));
        Assert.Equal((5L, "7", OrderStatus.New, 4_900_000L, 10_000L), (listed.Id, listed.ClientOrderId, listed.Status, listed.Price, listed.Remaining));
        Assert.Same(listed, d.FindByClientId(3, "7"));
    }

    [Fact]
    public void A_replace_that_moves_a_trigger_updates_the_record_and_one_that_keeps_it_does_not()
    {
        var d = new OrderDirectory();
        var stop = OrderCommand.NewTriggered(5, 3, 0, Side.Buy, OrderType.StopLimit, triggerPrice: 5_010_000, price: 5_030_000, qty: 10_000);
        Decide(d, in stop, "7", Accepted(in stop));
        var moved = OrderCommand.Replace(5, 3, 0, 5_030_000, 5_000);
        moved.TriggerPrice = 5_020_000;
        var replaced = new EngineEvent { Kind = EventKind.Replaced, Op = CommandOp.Replace, Account = 3, OrderId = 5, Price = 5_030_000, Quantity = 5_000 };
        d.OnProcessed(0, in moved, [replaced], 2, default);
        Assert.Equal((5_020_000L, 5_000L), (d.Find(5)!.TriggerPrice, d.Find(5)!.Remaining));

        var kept = OrderCommand.Replace(5, 3, 0, 5_030_000, 4_000); // no trigger: it stays
        d.OnProcessed(0, in kept, [replaced with { Quantity = 4_000 }], 3, default);
        Assert.Equal((5_020_000L, 4_000L), (d.Find(5)!.TriggerPrice, d.Find(5)!.Remaining));
    }

    [Fact]
    public void A_registered_order_keeps_its_record()
    {
        var d = new OrderDirectory();
        var cmd = OrderCommand.NewLimit(5, 3, 0, Side.Buy, 4_900_000, 10_000);
        var registered = OrderRecord.Of(in cmd, "R1", DateTimeOffset.UnixEpoch);
        Assert.True(d.TryRegister(registered));
        Decide(d, in cmd, "R1", Accepted(in cmd));
        Assert.Same(registered, d.Find(5));
        Assert.Equal(OrderStatus.New, registered.Status);
    }

    [Fact]
    public void A_reused_client_id_lists_both_orders_and_stays_with_the_order_that_holds_it()
    {
        var d = new OrderDirectory(retainFinished: 0);
        var first = OrderCommand.NewLimit(5, 3, 0, Side.Buy, 4_900_000, 10_000);
        var second = OrderCommand.NewLimit(6, 3, 0, Side.Buy, 4_800_000, 10_000);
        Decide(d, in first, "7", Accepted(in first));
        Decide(d, in second, "7", Accepted(in second)); // another binary session of the account, same number
        Assert.Equal([6L, 5L], d.ForAccount(3, openOnly: true, 10).Select(r => r.Id));
        Assert.Equal(5, d.FindByClientId(3, "7")!.Id);

        d.OnProcessed(0, in second, [Canceled(in second)], 2, default); // retired at once: must not release the first's id
        Assert.Null(d.Find(6));
        Assert.Equal(5, d.FindByClientId(3, "7")!.Id);
        d.OnProcessed(0, in first, [Canceled(in first)], 3, default);
        Assert.Null(d.FindByClientId(3, "7"));
    }
}
