using System.Diagnostics;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Pipeline;
using Hft.Pipeline.Monitoring;
using Hft.Server.Operations;
using Hft.Server.Tests.Support;
using Prometheus;

namespace Hft.Server.Tests.Operations;

/// <summary>The shard-thread side of the metrics must not allocate per command.</summary>
public sealed class PipelineMetricsAllocationTests
{
    [Fact]
    public void OnProcessed_allocates_nothing_per_command()
    {
        var config = MetricsServerFixture.Config();
        var node = Durability.PipelineHarness.Node(config);
        var metrics = node.Metrics;
        var cmd = OrderCommand.NewLimit(1, 1, 0, Side.Buy, 100, 1);
        EngineEvent[] events =
        [
            new() { Kind = EventKind.Accepted, Op = CommandOp.New, Instrument = 0, Side = Side.Buy },
            new() { Kind = EventKind.Trade, Instrument = 0, Quantity = 3 },
            new() { Kind = EventKind.Rejected, Instrument = -1, RejectReason = RejectReason.UnknownSymbol },
            new() { Kind = EventKind.Canceled, Instrument = 1, CancelReason = CancelReason.IocRemainder },
        ];
        long t = Stopwatch.GetTimestamp();
        var ts = new StageTimestamps { Received = t, Dequeued = t + 10, Risked = t + 20, Matched = t + 30, Decided = t + 40 };
        for (int i = 0; i < 1000; i++) metrics.OnProcessed(0, in cmd, events, 0, in ts); // warm up (tiering, first publishes)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) metrics.OnProcessed(0, in cmd, events, 0, in ts);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Nothing per command: 10,000 calls may not add up to even 1 KB. (A one-off allocation by the runtime while
        // tests run in parallel - tier-up, a lazily created prometheus-net structure - must not make this flaky.)
        Assert.True(allocated < 1024, $"{allocated} bytes allocated over 10,000 calls");
        Assert.Equal(11_000, metrics.Totals().Commands);
        Assert.Equal(11_000, metrics.Totals().Rejects);
        Assert.Equal(11_000, metrics.Latency.Snapshot().SinceStart.Stages["order"].Count);
    }
}
