using Hft.Core.Instruments;
using Hft.Feed;
using Hft.Pipeline.Admin;

namespace Hft.Server.Tests.Feed;

public sealed class MockWalkAndBackoffTests
{
    private static List<long[]> Run(int seed, int steps, int bps = 5)
    {
        var walk = new MockRandomWalkFeed.Walk([5_000_000, 60_000, 3], seed, bps);
        var list = new List<long[]>();
        for (int i = 0; i < steps; i++) list.Add((long[])walk.Step().Clone());
        return list;
    }

    [Fact]
    public void Mock_walk_is_deterministic_by_seed()
    {
        var a = Run(42, 2_000);
        var b = Run(42, 2_000);
        var c = Run(43, 2_000);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a[0], a[^1]); // it moves
    }

    [Fact]
    public void Mock_walk_stays_positive_on_the_grid_and_near_its_start()
    {
        long[] start = [5_000_000, 60_000, 3];
        foreach (int bps in new[] { 0, 1, 5, 500, 10_000 })
        {
            var steps = Run(7, 5_000, bps);
            foreach (var prices in steps)
            {
                for (int i = 0; i < prices.Length; i++)
                {
                    // whole ticks by construction; the bounds are the walk's promise
                    Assert.InRange(prices[i], Math.Max(1, start[i] / 2), start[i] * 2);
                }
            }
            if (bps == 0) Assert.All(steps, p => Assert.Equal(start, p));
            else Assert.Contains(steps, p => p[2] != 3); // even a 3-tick price moves (at least one tick per step)
        }
    }

    [Fact]
    public void Backoff_doubles_with_jitter_up_to_the_cap_and_resets()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1_000), new Random(1));
        double[] ceilings = [100, 200, 400, 800, 1_000, 1_000, 1_000];
        var delays = new List<double>();
        foreach (var ceiling in ceilings)
        {
            double d = backoff.Next().TotalMilliseconds;
            Assert.InRange(d, ceiling / 2, ceiling);
            delays.Add(d);
        }
        Assert.Equal(7, backoff.Attempt);
        Assert.True(delays.Distinct().Count() > 3, "jittered: not all equal");
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
        for (int i = 0; i < 100; i++) Assert.InRange(backoff.Next().TotalMilliseconds, 0, 1_000); // no overflow after many failures
    }

    [Fact]
    public void Persisted_admin_kinds_are_pinned()
    {
        Assert.Equal(6, (byte)Hft.Pipeline.Admin.AdminKind.FeedHalt);
        Assert.Equal(7, (byte)Hft.Pipeline.Admin.AdminKind.BandWiden);
        foreach (var kind in new[] { Hft.Pipeline.Admin.AdminKind.FeedHalt, Hft.Pipeline.Admin.AdminKind.BandWiden })
        {
            var record = new Hft.Pipeline.Admin.AdminRecord(kind, 1, -1, 2_500_000, null);
            var buffer = new byte[Hft.Pipeline.Admin.AdminRecord.MaxSize];
            int n = record.Write(buffer);
            Assert.True(Hft.Pipeline.Admin.AdminRecord.TryRead(buffer.AsSpan(0, n), out var back));
            Assert.Equal(record, back);
        }
    }

    [Fact]
    public void Band_widening_and_halt_sources_in_the_risk_instrument()
    {
        var registry = new InstrumentRegistry();
        Assert.True(registry.TryAdd("BTCUSD", new Hft.Core.Numerics.ScaledUnit(1, 2), new Hft.Core.Numerics.ScaledUnit(1, 4), out var inst, out _));
        var ri = new Hft.Risk.RiskInstrument(inst!)
        {
            BandPct = new Hft.Core.Numerics.Amount(10 * Hft.Core.Numerics.Amount.One),
            Mark = 5_000_000,
        };
        Assert.True(ri.WithinBand(5_500_000));
        Assert.False(ri.WithinBand(5_500_001));
        Assert.True(ri.TryGetProtectionPrice(buy: true, out long buyCap));
        Assert.Equal(5_500_000, buyCap);

        ri.BandWidenPpm = 2_500_000; // x2.5: 25%
        Assert.Equal(10 * Hft.Core.Numerics.Amount.One, ri.BandPct!.Value.Raw); // the configured band is kept
        Assert.Equal(25 * Hft.Core.Numerics.Amount.One, ri.EffectiveBandPct!.Value.Raw);
        Assert.True(ri.WithinBand(6_250_000));
        Assert.False(ri.WithinBand(6_250_001));
        Assert.True(ri.TryGetProtectionPrice(buy: false, out long sellFloor));
        Assert.Equal(3_750_000, sellFloor);
        ri.BandWidenPpm = 0;
        Assert.False(ri.WithinBand(5_500_001));

        ri.FeedHalted = true;
        Assert.True(ri.Halted);
        Assert.Equal(Hft.Risk.HaltSource.Feed, ri.HaltedBy);
        ri.Halted = true; // operator
        ri.FeedHalted = false;
        Assert.True(ri.Halted); // the operator's halt stays
        Assert.Equal(Hft.Risk.HaltSource.Operator, ri.HaltedBy);
        ri.FeedHalted = true;
        ri.Halted = false; // an operator's resume lifts both
        Assert.Equal(Hft.Risk.HaltSource.None, ri.HaltedBy);
    }
}
