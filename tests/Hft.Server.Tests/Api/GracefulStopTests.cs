using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// In-process graceful stop under load: Kestrel stops accepting, in-flight requests finish, then the shards drain.
/// Every order acknowledged with 201 must have been processed (its record final, not pending) and every command
/// that entered a ring must have been processed.
/// </summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task Stop_during_a_burst_keeps_every_acknowledged_order()
    {
        var api = await ApiServerFixture.StartAsync(c => c);
        var a1 = api.Client("A1");
        var a2 = api.Client("A2");
        var directory = api.Directory;
        var pipeline = api.Pipeline;
        var results = new ConcurrentBag<(int Index, ApiResult? Result, Exception? Error)>();
        int next = -1, completed = 0;
        const int n = 3000;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 32).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                try
                {
                    var r = await (i % 2 == 0 ? a1 : a2).Place(Rest.Limit(i % 2 == 0 ? "buy" : "sell", "50000", "0.01"));
                    results.Add((i, r, (Exception?)null));
                }
                catch (HttpRequestException e)
                {
                    results.Add((i, (ApiResult?)null, e)); // refused connection once Kestrel stopped listening
                }
                Interlocked.Increment(ref completed);
            }
        }).ToArray();

        while (Volatile.Read(ref completed) < 300 && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(5);
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20))) await api.Server.StopAsync(cts.Token);
        await Task.WhenAll(workers);

        Assert.False(pipeline.Accepting);
        Assert.All(pipeline.Shards, s => Assert.False(s.IsRunning));
        Assert.All(pipeline.Shards, s => Assert.Equal(0, s.QueueDepth));
        var acks = results.Where(r => r.Result?.Status == HttpStatusCode.Created).Select(r => r.Result!).ToList();
        Assert.True(acks.Count >= 300, $"{acks.Count} acks before the stop");
        foreach (var ack in acks)
        {
            Assert.NotEqual("pending", ack.Str("status"));
            var record = directory.Find(ack.Id);
            Assert.NotNull(record);
            lock (record) Assert.NotEqual(OrderStatus.Pending, record.Status);
        }
        // Whatever was answered otherwise was refused (shutting down) or never connected — and left no trace.
        foreach (var (_, result, _) in results.Where(r => r.Result?.Status != HttpStatusCode.Created))
            if (result is not null) Assert.True(result.Status == HttpStatusCode.ServiceUnavailable, result.ToString());
        Assert.Equal(acks.Count, directory.Count);
        Assert.Equal(acks.Count, pipeline.Shards.Sum(s => s.Processed));
        await api.DisposeAsync();
    }
}
