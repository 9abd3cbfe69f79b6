using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline;
using Hft.Pipeline.State;

namespace Hft.Pipeline.Tests;

/// <summary>The hub tells each subscribed account once per command, about its own orders and the trades it made as maker.</summary>
public sealed class AccountEventHubTests
{
    private sealed class Recorder : IAccountEventSink
    {
        public readonly List<(int Account, EngineEvent[] Events)> Calls = [];

        public void OnAccountEvents(int account, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence)
            => Calls.Add((account, events.ToArray()));
    }

    private sealed class Counter : IAccountEventSink
    {
        public int Calls;

        public void OnAccountEvents(int account, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence) => Calls++;
    }

    private static EngineEvent Accepted(int account, long id) => new() { Kind = EventKind.Accepted, Account = account, OrderId = id };

    private static EngineEvent Trade(int taker, int maker, long id, long makerId)
        => new() { Kind = EventKind.Trade, Account = taker, MakerAccount = maker, OrderId = id, MakerOrderId = makerId, Quantity = 1 };

    private static void Process(AccountEventHub hub, params EngineEvent[] events)
    {
        var command = new OrderCommand();
        hub.OnProcessed(0, in command, events, 0, default);
    }

    [Fact]
    public void Taker_and_maker_each_get_the_command_once()
    {
        var hub = new AccountEventHub();
        var taker = new Recorder();
        var maker = new Recorder();
        var bystander = new Recorder();
        hub.Subscribe(1, taker);
        hub.Subscribe(2, maker);
        hub.Subscribe(3, bystander);

        Process(hub, Accepted(1, 10), Trade(1, 2, 10, 5), Trade(1, 2, 10, 6));

        Assert.Equal(1, Assert.Single(taker.Calls).Account);
        Assert.Equal(2, Assert.Single(maker.Calls).Account);
        Assert.Empty(bystander.Calls);
        Assert.Equal(3, maker.Calls[0].Events.Length);
        Assert.Equal(2, maker.Calls[0].Events.Count(e => AccountEventHub.Concerns(2, in e)));
        Assert.Equal(0, maker.Calls[0].Events.Count(e => AccountEventHub.Concerns(3, in e)));
    }

    [Fact]
    public void Self_trade_is_delivered_once()
    {
        var hub = new AccountEventHub();
        var sink = new Recorder();
        hub.Subscribe(4, sink);
        Process(hub, Accepted(4, 1), Trade(4, 4, 1, 2));
        Assert.Single(sink.Calls);
    }

    [Fact]
    public void A_sweep_through_more_than_64_makers_tells_each_maker_once()
    {
        var hub = new AccountEventHub();
        var sinks = new Counter[100];
        for (int a = 0; a < sinks.Length; a++) hub.Subscribe(a, sinks[a] = new Counter());
        var events = new List<EngineEvent> { Accepted(0, 1000) };
        for (int round = 0; round < 2; round++)
            for (int maker = 1; maker < 100; maker++) events.Add(Trade(0, maker, 1000, maker * 10 + round));

        Process(hub, [.. events]);

        Assert.All(sinks, s => Assert.Equal(1, s.Calls));
    }

    [Fact]
    public void Unsubscribed_sinks_hear_nothing_and_others_keep_hearing()
    {
        var hub = new AccountEventHub();
        var first = new Recorder();
        var second = new Recorder();
        var subscription = hub.Subscribe(7, first);
        hub.Subscribe(7, second);
        Assert.Equal(2, hub.SubscriberCount(7));

        subscription.Dispose();
        subscription.Dispose(); // idempotent
        Process(hub, Accepted(7, 1));

        Assert.Empty(first.Calls);
        Assert.Single(second.Calls);
        Assert.Equal(1, hub.SubscriberCount(7));
    }

    [Fact]
    public void Accounts_beyond_the_initial_table_and_every_account_subscriptions()
    {
        var hub = new AccountEventHub();
        var high = new Recorder();
        var all = new Recorder();
        hub.Subscribe(5000, high);
        using var everyone = hub.SubscribeAll(all);
        Process(hub, Accepted(5000, 1));
        Process(hub, Accepted(12, 2));
        Assert.Single(high.Calls);
        Assert.Equal(2, all.Calls.Count);
        Assert.All(all.Calls, c => Assert.Equal(-1, c.Account));
        Assert.Throws<ArgumentOutOfRangeException>(() => hub.Subscribe(-1, high));
    }

    [Fact]
    public void Routing_does_not_allocate()
    {
        var hub = new AccountEventHub();
        for (int a = 0; a < 100; a++) hub.Subscribe(a, new Counter());
        var events = new EngineEvent[150];
        events[0] = Accepted(0, 1);
        for (int i = 1; i < events.Length; i++) events[i] = Trade(0, i % 100, 1, i);
        var command = new OrderCommand();
        hub.OnProcessed(0, in command, events, 0, default);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) hub.OnProcessed(0, in command, events, 0, default);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
