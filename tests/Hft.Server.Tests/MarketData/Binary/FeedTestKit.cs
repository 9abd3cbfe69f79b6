using System.Diagnostics;
using System.Net;
using Hft.Client.MarketData;
using Hft.Core.Orders;
using Hft.MarketData;
using Hft.Server.MarketData;
using Hft.Server.MarketData.Binary;

namespace Hft.Server.Tests.MarketData.Binary;

/// <summary>A binary feed with its recovery service on a free loopback port, and waiting on conditions.</summary>
internal static class FeedTestKit
{
    public static BinaryFeedOptions Options(params int[] ports) => new()
    {
        Targets = ports.Select(p => $"127.0.0.1:{p}").ToList(),
        RecoveryBind = "127.0.0.1",
        RecoveryPort = 0,
        Heartbeat = TimeSpan.FromMilliseconds(50),
    };

    public static async Task<BinaryFeed> StartAsync(BinaryFeedOptions options, int instruments = 2)
    {
        var feed = new BinaryFeed(options, instruments);
        await feed.Recovery.StartAsync(CancellationToken.None);
        return feed;
    }

    public static async Task StopAsync(BinaryFeed feed)
    {
        await feed.Recovery.DisposeAsync();
        feed.Dispose();
    }

    public static IPEndPoint Recovery(BinaryFeed feed) => new(IPAddress.Loopback, feed.Recovery.Port);

    public static FeedClient NewClient(BinaryFeed? recoverFrom, int port = 0)
        => new(new FeedClientOptions { Listen = new IPEndPoint(IPAddress.Loopback, port), Recovery = recoverFrom is null ? null : Recovery(recoverFrom) });

    /// <summary>Waits (bounded, generous for a busy 2-core machine) until <paramref name="condition"/> holds.</summary>
    public static void Until(Func<bool> condition, Func<string> what, int seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds)) Assert.Fail($"not within {seconds}s: {what()}");
            Thread.Sleep(10);
        }
    }

    /// <summary>A book as sorted text, order by order: equal texts are equal books.</summary>
    public static string Text(FeedBook book, int instruments)
    {
        var lines = new List<string>();
        for (int i = 0; i < instruments; i++)
        {
            var id = (ushort)i;
            lines.Add($"#{i} {book.Status(id)}");
            foreach (var side in new[] { FeedSide.Buy, FeedSide.Sell })
                lines.AddRange(book.Orders(id, side).Select(o => $"#{i} {o.Side} {o.OrderId} {o.Quantity}@{o.Price}"));
        }
        return string.Join("\n", lines);
    }
}

/// <summary>
/// A random order flow driven straight into a feed (what the publisher thread would hand it): adds, quantity and price
/// changes, deletes, trades against resting orders, status changes, over several instruments, pumped into packets.
/// </summary>
internal sealed class RandomFeedFlow(BinaryFeed feed, int seed, int instruments = 2)
{
    private readonly Random _random = new(seed);
    private readonly List<(int Instrument, long Id, Side Side, long Price, long Qty)> _live = new();
    private long _nextId = seed * 1_000_000L + 1, _tradeId; // ids of flows with other seeds never collide

    public void Run(int steps, int pumpEvery = 7)
    {
        for (int i = 0; i < steps; i++)
        {
            Step();
            if (i % pumpEvery == pumpEvery - 1) feed.Pump();
        }
        feed.Pump();
    }

    private void Step()
    {
        int roll = _random.Next(100);
        if (_live.Count == 0 || roll < 45)
        {
            int inst = _random.Next(instruments);
            var side = _random.Next(2) == 0 ? Side.Buy : Side.Sell;
            long price = side == Side.Buy ? 10_000 - _random.Next(20) : 10_001 + _random.Next(20);
            var o = (inst, _nextId++, side, price, (long)_random.Next(1, 50));
            _live.Add(o);
            feed.OrderChanges(inst, [new OrderChange(OrderAction.Add, o.Item2, side, price, o.Item5)]);
            return;
        }
        int k = _random.Next(_live.Count);
        var live = _live[k];
        if (roll < 65)
        {
            long price = _random.Next(3) == 0 ? live.Price + (live.Side == Side.Buy ? -1 : 1) : live.Price;
            long qty = Math.Max(1, live.Qty - _random.Next(live.Qty > 1 ? (int)live.Qty : 1));
            _live[k] = live with { Price = price, Qty = qty };
            feed.OrderChanges(live.Instrument, [new OrderChange(OrderAction.Modify, live.Id, live.Side, price, qty)]);
        }
        else if (roll < 80)
        {
            _live.RemoveAt(k);
            feed.OrderChanges(live.Instrument, [new OrderChange(OrderAction.Delete, live.Id, live.Side, live.Price, 0)]);
        }
        else if (roll < 97)
        {
            long qty = _random.Next(1, (int)live.Qty + 1);
            var taker = live.Side == Side.Buy ? Side.Sell : Side.Buy;
            feed.Trade(new Hft.Core.Events.EngineEvent
            {
                Kind = Hft.Core.Events.EventKind.Trade, Instrument = live.Instrument, Price = live.Price, Quantity = qty, Side = taker,
                OrderId = _nextId++, MakerOrderId = live.Id,
            }, ++_tradeId);
            if (qty == live.Qty)
            {
                _live.RemoveAt(k);
                feed.OrderChanges(live.Instrument, [new OrderChange(OrderAction.Delete, live.Id, live.Side, live.Price, 0)]);
            }
            else
            {
                _live[k] = live with { Qty = live.Qty - qty };
                feed.OrderChanges(live.Instrument, [new OrderChange(OrderAction.Modify, live.Id, live.Side, live.Price, live.Qty - qty)]);
            }
        }
        else
            feed.Status(_random.Next(instruments), halted: _random.Next(2) == 0);
    }
}
