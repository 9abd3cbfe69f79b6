using Hft.Cli.Bench;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Cli.Tests;

/// <summary>The bench's <c>types</c> scenario: the stop and iceberg share of its flow, and the same 0-byte check as every scenario.</summary>
[Collection(RunsAlone.Name)]
public class BenchTypesScenarioTests
{
    [Fact]
    public void The_flow_is_one_fifth_stops_and_one_fifth_icebergs_and_fires_and_refreshes()
    {
        var w = OrderFlowGenerator.Generate(BenchScenario.Types, 100_000, 20240601);
        int stops = 0, icebergs = 0;
        foreach (var c in w.Commands)
        {
            if (c.Op != CommandOp.New) continue;
            if (c.Type.IsTriggered()) stops++;
            else if (c.DisplayQuantity > 0) icebergs++;
        }
        Assert.InRange(stops, 19_000, 21_000);
        Assert.InRange(icebergs, 19_000, 21_000);
        Assert.Equal("ok", w.Sizing.InvariantViolation ?? "ok");

        var engine = w.CreateEngine();
        int triggered = 0, refreshed = 0;
        foreach (var c in w.Commands)
        {
            foreach (ref readonly var e in engine.Process(in c))
            {
                if (e.Kind == EventKind.Triggered) triggered++;
                else if (e.Kind == EventKind.Refreshed) refreshed++;
            }
        }
        Assert.True(triggered > 1_000 && refreshed > 1_000, $"triggered {triggered}, refreshed {refreshed}");
    }

    [Fact]
    public void The_measured_passes_allocate_nothing()
    {
        var w = OrderFlowGenerator.Generate(BenchScenario.Types, 200_000, 20240601);
        var r = BenchRunner.Run(w, TextWriter.Null);
        Assert.Equal(0, r.AllocatedBytes);
        Assert.Equal(0, r.GcCollections);
        Assert.Equal("ok", r.Invariants);
    }
}
