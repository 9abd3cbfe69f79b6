using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Risk.Tests.Property;
using Hft.Risk.Tests.Support;

namespace Hft.Risk.Tests.Performance;

/// <summary>The hot path (Validate → Check → Process → Apply) must not allocate once sized and warmed up.</summary>
public class ZeroAllocationTests
{
    private static Step[] Stream(int seed, int count, long idOffset)
    {
        var random = new Random(seed);
        var rows = new int[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new int[8];
            for (int k = 0; k < 8; k++) rows[i][k] = random.Next(1000);
        }
        var config = Enumerable.Range(0, 40).Select(_ => 0).ToArray();
        var steps = Scenario.Build(config, rows).Steps.ToArray();
        for (int i = 0; i < steps.Length; i++)
        {
            var c = steps[i].Command;
            c.OrderId += idOffset;
            steps[i] = steps[i] with { Command = c };
        }
        return steps;
    }

    private static long Run(RiskPipeline p, Step[] steps)
    {
        long events = 0;
        for (int i = 0; i < steps.Length; i++)
        {
            ref var st = ref steps[i];
            switch (st.Kind)
            {
                case StepKind.Command:
                {
                    var cmd = st.Command; // a copy: the stream is replayed twice
                    events += p.Run(ref cmd).Length;
                    break;
                }
                case StepKind.Mark: p.Inst(st.Instrument).Mark = st.Price; break;
                case StepKind.Halt: p.Inst(st.Instrument).Halted = true; break;
                case StepKind.Resume: p.Inst(st.Instrument).Halted = false; break;
                case StepKind.Enable: p.Risk.Account(st.Account).Enabled = true; break;
                case StepKind.Kill:
                {
                    p.Risk.Account(st.Account).Enabled = false;
                    var canceled = p.Engine.Process(OrderCommand.MassCancel(st.Account, -1, CancelReason.AccountDisabled));
                    p.Risk.Apply(canceled);
                    events += canceled.Length;
                    break;
                }
            }
        }
        return events;
    }

    [Fact]
    public void Sized_pipeline_with_limits_processes_100k_mixed_commands_without_allocating()
    {
        var p = new RiskPipeline(
            new RiskOptions { RejectUndeclaredAccounts = true, OpenOrderCapacity = 1 << 17 },
            new EngineOptions { OrderCapacity = 1 << 17, OrderIdCapacity = 1 << 20, LevelCapacity = 1024, EventCapacity = 1024 },
            Scenario.Grids.Select(g => (g.Tick, g.Lot)).ToArray());
        p.Inst(0).BandPct = Ev.A("10");
        p.Inst(1).BandPct = Ev.A("5");
        p.Inst(0).Mark = 100;
        // every kind of limit set on some account; account 4 only pays fees
        p.Declare(1, new AccountLimits { Credit = Ev.A("50000"), MaxOrderQty = Ev.A("15"), MaxOpenOrders = 500, MakerFeeBps = Ev.A("-1"), TakerFeeBps = Ev.A("2") });
        p.Declare(2, new AccountLimits { MaxOrderNotional = Ev.A("2500"), MaxPosition = Ev.A("200") });
        p.Declare(3, new AccountLimits { Credit = Ev.A("1000000"), MaxPosition = Ev.A("1000"), TakerFeeBps = Ev.A("1.25") });
        p.Declare(4, new AccountLimits { MakerFeeBps = Ev.A("0.5"), TakerFeeBps = Ev.A("2") });
        var warmUp = Stream(1, 100_000, 0);
        var measured = Stream(2, 100_000, 10_000_000);
        Run(p, warmUp);
        Run(p, warmUp); // duplicates and unknown orders now: the reject paths

        long acceptedBefore = p.Engine.Counters.Accepted, tradesBefore = p.Engine.Counters.Trades;
        long before = GC.GetAllocatedBytesForCurrentThread();
        long events = Run(p, measured);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        // the measured stream really exercised acceptance, matching, settlement and fees
        Assert.True(events > 80_000, $"only {events} events");
        Assert.True(p.Engine.Counters.Accepted - acceptedBefore > 5_000, $"only {p.Engine.Counters.Accepted - acceptedBefore} accepted");
        Assert.True(p.Engine.Counters.Trades - tradesBefore > 1_000, $"only {p.Engine.Counters.Trades - tradesBefore} trades");
        Assert.NotEqual(0, p.Risk.Account(1).Position(0).Fees.Raw);
    }
}
