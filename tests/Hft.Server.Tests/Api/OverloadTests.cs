using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Hft.Pipeline;
using Hft.Pipeline.Shards;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// A tiny matching queue (worker_queue_size = 16, one shard) under a flood of concurrent REST orders: the overflow is
/// refused at once with 503 <c>overloaded</c> (nothing done), and no acknowledged order is lost.
/// </summary>
public sealed class OverloadTests
{
    private static Task<ApiServerFixture> TinyQueueServer()
        => ApiServerFixture.StartAsync(c => c with { System = c.System with { MaxWorkers = 1, WorkerQueueSize = 16 } });

    /// <summary>Holds the shard thread until released, so that the ring fills deterministically.</summary>
    private sealed class BlockingQuery : IShardQuery
    {
        public readonly ManualResetEventSlim Entered = new();
        public readonly ManualResetEventSlim Release = new();

        public void Run(MatchingShard shard)
        {
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
        }
    }

    private static object Order(int i) => Rest.Limit(i % 2 == 0 ? "buy" : "sell", (49_990 + i % 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "0.01", clientOrderId: $"flood-{i}");

    private static async Task AssertEveryAckIsListed(ApiServerFixture api, HttpClient client, IReadOnlyCollection<ApiResult> acks)
    {
        var listed = (await client.Get("api/v1/orders?status=all&limit=5000")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray()
            .ToDictionary(o => o.GetProperty("id").GetInt64(), o => o.GetProperty("status").GetString());
        foreach (var ack in acks)
        {
            Assert.True(listed.TryGetValue(ack.Id, out var status), $"acknowledged order {ack.Id} missing from GET /orders?status=all");
            Assert.NotEqual("pending", status);
            Assert.NotEqual("pending", ack.Str("status"));
        }
        Assert.Equal(acks.Count, listed.Count); // refused orders were never registered
        Assert.Equal(acks.Count, api.Directory.Count);
    }

    [Fact]
    public async Task Full_queue_answers_503_overloaded_and_every_201_is_kept()
    {
        await using var api = await TinyQueueServer();
        var a1 = api.Client("A1");
        var shard = api.Pipeline.Shards[0];
        Assert.Equal(16, shard.QueueCapacity);

        var block = new BlockingQuery();
        Assert.True(api.Pipeline.Query(0, block));
        Assert.True(block.Entered.Wait(TimeSpan.FromSeconds(10)));

        const int n = 120;
        var tasks = Enumerable.Range(0, n).Select(i => a1.Place(Order(i))).ToArray();
        // The overflow comes back at once while the shard is held; wait until every order is either refused or queued.
        var waited = Stopwatch.StartNew();
        while (tasks.Count(t => t.IsCompleted) + shard.QueueDepth - 1 < n && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(20);
        Assert.All(tasks.Where(t => t.IsCompleted), t => t.Result.AssertError(HttpStatusCode.ServiceUnavailable, "overloaded"));
        block.Release.Set();
        var results = await Task.WhenAll(tasks);

        var acks = results.Where(r => r.Status == HttpStatusCode.Created).ToList();
        var refused = results.Where(r => r.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.Equal(n, acks.Count + refused.Count);
        Assert.All(refused, r => r.AssertError(HttpStatusCode.ServiceUnavailable, "overloaded"));
        Assert.InRange(acks.Count, 1, shard.QueueCapacity - 1); // the held query occupies one slot
        Assert.True(refused.Count >= n - shard.QueueCapacity);
        await AssertEveryAckIsListed(api, a1, acks);

        // A refused order's client id is free again: retrying it succeeds.
        var retry = refused[0];
        int index = results.ToList().IndexOf(retry);
        (await a1.Place(Order(index))).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Unheld_flood_loses_no_acknowledged_order()
    {
        await using var api = await TinyQueueServer();
        var a1 = api.Client("A1");
        var a2 = api.Client("A2");
        const int n = 1500, concurrency = 64;
        var results = new ConcurrentBag<ApiResult>();
        int next = -1;
        var deadline = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n && deadline.Elapsed < TimeSpan.FromSeconds(30))
                results.Add(await (i % 2 == 0 ? a1 : a2).Place(Order(i)));
        }).ToArray();
        await Task.WhenAll(workers);

        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, r.ToString()));
        Assert.All(results.Where(r => r.Status == HttpStatusCode.ServiceUnavailable), r => r.AssertError(HttpStatusCode.ServiceUnavailable, "overloaded"));
        var acks = results.Where(r => r.Status == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(acks);
        var listed = new Dictionary<long, string?>();
        foreach (var client in new[] { a1, a2 })
            foreach (var o in (await client.Get("api/v1/orders?status=all&limit=5000")).Body.EnumerateArray())
                listed[o.GetProperty("id").GetInt64()] = o.GetProperty("status").GetString();
        foreach (var ack in acks) Assert.True(listed.ContainsKey(ack.Id), $"acknowledged order {ack.Id} lost");
        Assert.Equal(acks.Count, listed.Count);
        // The crossing flow traded: filled quantity on both sides matches.
        var fills = acks.SelectMany(a => a.Body.GetProperty("fills").EnumerateArray()).Count();
        Assert.True(fills > 0, "no order crossed");
    }
}
