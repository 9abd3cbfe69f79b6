using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Pipeline.Durability;
using Hft.Server.MarketData;

namespace Hft.Server.Tests.MarketData;

/// <summary>The publisher is woken by what it has to publish, not by its idle timeout.</summary>
public sealed class PublisherWakeTests
{
    private static readonly EngineEvent[] Trade =
    [
        new() { Kind = EventKind.Accepted, Op = CommandOp.New, Instrument = 0, Side = Side.Sell, OrderId = 2, Price = 100, Quantity = 1 },
        new() { Kind = EventKind.Trade, Instrument = 0, Side = Side.Sell, OrderId = 2, MakerOrderId = 1, Price = 100, Quantity = 1 },
    ];

    [Fact]
    public void A_trade_already_durable_wakes_the_publisher_at_once()
    {
        int wakes = 0;
        var observer = new MarketDataObserver();
        observer.Attach(1, new DurableOutbox(durable: 10), () => wakes++);
        var cmd = OrderCommand.NewLimit(2, 1, 0, Side.Sell, 100, 1);

        observer.OnProcessed(0, in cmd, Trade, sequence: 10, default);

        Assert.Equal(1, wakes);
        var items = observer.Take(new List<MdItem>(), out long pending);
        Assert.Equal(0, pending);
        Assert.Contains(items, i => i.Kind == MdKind.Event && i.Event.Kind == EventKind.Trade);
    }

    [Fact]
    public void A_trade_not_yet_durable_wakes_the_publisher_when_the_journal_makes_it_durable()
    {
        int wakes = 0;
        var outbox = new DurableOutbox(durable: 10);
        var observer = new MarketDataObserver();
        observer.Attach(1, outbox, () => wakes++);
        var cmd = OrderCommand.NewLimit(2, 1, 0, Side.Sell, 100, 1);

        observer.OnProcessed(0, in cmd, Trade, sequence: 11, default);
        observer.OnProcessed(0, in cmd, Trade, sequence: 12, default);
        Assert.Equal(0, wakes); // nothing may be published yet
        Assert.Empty(observer.Take(new List<MdItem>(), out long pending));
        Assert.Equal(11, pending);

        outbox.OnDurable(11);
        Assert.Equal(1, wakes);
        Assert.Equal(3, observer.Take(new List<MdItem>(), out pending).Count); // accepted, trade, end of command 11
        Assert.Equal(12, pending);

        observer.WakeWhenDurable(pending); // what the publisher does for what is still pending
        outbox.OnDurable(12);
        Assert.Equal(2, wakes);
        Assert.Equal(3, observer.Take(new List<MdItem>(), out pending).Count);
        Assert.Equal(0, pending);
    }
}
