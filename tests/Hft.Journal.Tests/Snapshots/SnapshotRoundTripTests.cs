using Hft.Core.Orders;

namespace Hft.Journal.Tests.Snapshots;

public sealed class SnapshotRoundTripTests
{
    private static SnapshotWorld Busy(int seed = 7, int commands = 3000)
    {
        var w = new SnapshotWorld();
        w.Configure();
        w.RandomFlow(seed, commands);
        w.Risk.Instrument(1)!.Halted = true;
        return w;
    }

    [Fact]
    public void Round_trip_through_bytes_keeps_the_state_hash()
    {
        var w = Busy();
        Assert.True(w.Engines.Sum(e => e.Orders.Live) > 50, "the flow should leave resting orders");
        Assert.Contains(w.Risk.Accounts, a => a.Position(0).Position != 0);
        var data = SnapshotFormat.Decode(SnapshotFormat.Encode(w.Capture(1234)), "t");
        Assert.Equal(1234, data.Sequence);
        Assert.Equal(w.NextOrderId, data.NextOrderId);
        var restored = SnapshotWorld.Restored(data);
        Assert.Equal(w.Hash(), restored.Hash());
        Assert.True(restored.Risk.Instrument(1)!.Halted);
        Assert.Equal(w.Risk.Account(1).Limits, restored.Risk.Account(1).Limits);
        Assert.False(restored.Risk.Account(4).Enabled);
        Assert.Equal(w.Stages.Sum(s => s.OpenOrderCount), restored.Stages.Sum(s => s.OpenOrderCount));
    }

    [Fact]
    public void Restored_state_behaves_like_the_original_queue_order_included()
    {
        var original = Busy(11, 2000);
        var restored = SnapshotWorld.Restored(SnapshotFormat.Decode(SnapshotFormat.Encode(original.Capture(1)), "t"));
        original.Risk.Instrument(1)!.Halted = false;
        restored.Risk.Instrument(1)!.Halted = false;
        // the same later flow on both: fills against restored queues, cancels and replaces of restored orders
        original.RandomFlow(99, 2000);
        restored.RandomFlow(99, 2000);
        Assert.Equal(original.Hash(), restored.Hash());
        for (int e = 0; e < 2; e++)
        {
            Assert.Null(Hft.Core.Book.BookInvariants.Check(restored.Engines[e]));
        }
    }

    [Fact]
    public void An_empty_state_round_trips()
    {
        var w = new SnapshotWorld();
        var restored = SnapshotWorld.Restored(SnapshotFormat.Decode(SnapshotFormat.Encode(w.Capture(0)), "t"));
        Assert.Equal(w.Hash(), restored.Hash());
    }

    [Fact]
    public void Client_order_info_is_kept()
    {
        var w = new SnapshotWorld();
        w.Run(Hft.Core.Matching.OrderCommand.NewLimit(1, 1, 0, Side.Buy, 4_999_000, 10));
        var data = SnapshotStore.Capture(5, 1, w.Instruments, w.Engines, w.Risk, SnapshotWorld.Name,
            id => new SnapshotOrderInfo(25, 15, 1_700_000_000_000_000, "client-é-1"));
        var back = SnapshotFormat.Decode(SnapshotFormat.Encode(data), "t");
        var o = Assert.Single(back.Orders);
        Assert.Equal(new SnapshotOrder(0, 1, 1, Side.Buy, 4_999_000, 10, false, SelfTradePrevention.None, 25, 15, 1_700_000_000_000_000, "client-é-1"), o);
    }

    [Fact]
    public void Every_flipped_byte_is_detected()
    {
        var bytes = SnapshotFormat.Encode(Busy(3, 300).Capture(9));
        var rng = new Random(5);
        for (int k = 0; k < 200; k++)
        {
            var copy = (byte[])bytes.Clone();
            int at = rng.Next(copy.Length);
            copy[at] ^= (byte)(1 << rng.Next(8));
            Assert.Throws<SnapshotCorruptException>(() => SnapshotFormat.Decode(copy, "x"));
        }
        Assert.Throws<SnapshotCorruptException>(() => SnapshotFormat.Decode(bytes[..^1], "x"));
    }

    [Fact]
    public void Restore_refuses_a_snapshot_whose_open_totals_disagree_with_its_orders()
    {
        var data = Busy(3, 500).Capture(1);
        var account = data.Accounts.First(a => a.OpenOrders > 0);
        var tampered = new SnapshotData
        {
            Sequence = 1, Instruments = data.Instruments, Orders = data.Orders,
            Accounts = data.Accounts.Select(a => a == account ? new SnapshotAccount
            {
                Id = a.Id, Name = a.Name, Declared = a.Declared, Enabled = a.Enabled, Limits = a.Limits, OpenOrders = a.OpenOrders + 1,
                OpenNotional = a.OpenNotional, Positions = a.Positions,
            } : a).ToList(),
        };
        Assert.Throws<SnapshotCorruptException>(() => SnapshotWorld.Restored(tampered));
    }

    [Fact]
    public void Restore_refuses_an_instrument_at_another_index()
    {
        var data = new SnapshotWorld().Capture(1);
        data.Instruments[0] = data.Instruments[0] with { Symbol = "XRPUSD" };
        Assert.Throws<SnapshotCorruptException>(() => SnapshotWorld.Restored(data));
    }
}
