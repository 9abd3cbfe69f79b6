using Hft.Core.Book;
using Hft.Core.Orders;

namespace Hft.Journal.Tests.Snapshots;

/// <summary>Snapshots of states holding pending stops, icebergs and good-till-date orders.</summary>
public sealed class SnapshotOrderTypesTests
{
    private static SnapshotWorld Busy(int seed, int commands)
    {
        var w = new SnapshotWorld();
        w.Configure();
        w.RandomOrderTypeFlow(seed, commands);
        return w;
    }

    private static IEnumerable<SnapshotOrder> LiveOrders(SnapshotWorld w) => w.Capture(0).Orders;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Restored_state_hashes_alike_and_answers_the_same_flow_with_the_same_events(int seed)
    {
        var original = Busy(seed, 2500);
        var data = original.Capture(77);
        Assert.Contains(data.Orders, o => (o.Flags & OrderFlags.Pending) != 0);
        Assert.Contains(data.Orders, o => (o.Flags & OrderFlags.Iceberg) != 0 && o.Terms.Hidden > 0);
        Assert.Contains(data.Orders, o => (o.Flags & OrderFlags.Expires) != 0);
        var restored = SnapshotWorld.Restored(SnapshotFormat.Decode(SnapshotFormat.Encode(data), "t"), original.Clock);
        Assert.Equal(original.Hash(), restored.Hash());
        Assert.Equal(original.Stages.Sum(s => s.OpenOrderCount), restored.Stages.Sum(s => s.OpenOrderCount));
        Assert.Equal(data.Orders, restored.Capture(77).Orders);

        // The same later flow on both: stops fire in the same priority, icebergs refresh alike, GTD orders expire alike.
        original.Log = [];
        restored.Log = [];
        original.RandomOrderTypeFlow(seed + 1000, 2500);
        restored.RandomOrderTypeFlow(seed + 1000, 2500);
        Assert.Contains(original.Log, e => e.StartsWith("Triggered", StringComparison.Ordinal));
        Assert.Contains(original.Log, e => e.StartsWith("Refreshed", StringComparison.Ordinal));
        Assert.Contains(original.Log, e => e.Contains(" Expired ", StringComparison.Ordinal));
        Assert.Equal(original.Log, restored.Log);
        Assert.Equal(original.Hash(), restored.Hash());
        for (int e = 0; e < 2; e++) Assert.Null(BookInvariants.Check(restored.Engines[e]));
    }

    [Fact]
    public void Terms_and_reserved_price_round_trip_through_bytes()
    {
        var data = new SnapshotData { Sequence = 3, NextOrderId = 9, CreatedUnixMs = 1 };
        data.Orders.Add(new SnapshotOrder(0, 5, 1, Side.Sell, 101, 2, false, SelfTradePrevention.CancelMaker, 10, 1, 7, "c",
            OrderFlags.Iceberg | OrderFlags.Expires, new OrderTerms { Hidden = 7, DisplayQuantity = 3, ExpireTime = 99, Tif = TimeInForce.Gtd, Type = OrderType.Limit }));
        data.Orders.Add(new SnapshotOrder(0, 6, 2, Side.Buy, long.MaxValue, 4, false, SelfTradePrevention.None, 4, 0, 8, null,
            OrderFlags.Pending, new OrderTerms { TriggerPrice = 120, Type = OrderType.Stop, Tif = TimeInForce.Gtc }, ReservedPrice: 110));
        data.Orders.Add(new SnapshotOrder(0, 8, 2, Side.Buy, 100, 4, true, SelfTradePrevention.None, 4, 0, 8, null));
        Assert.Equal(data.Orders, SnapshotFormat.Decode(SnapshotFormat.Encode(data), "t").Orders);
    }

    [Fact]
    public void A_snapshot_while_order_types_are_live_is_taken()
    {
        var w = Busy(9, 800);
        Assert.Contains(LiveOrders(w), o => o.Flags != OrderFlags.None);
        Assert.Equal(w.Hash(), SnapshotWorld.Restored(w.Capture(1), w.Clock).Hash());
    }

    [Fact]
    public void A_version_2_file_with_an_order_still_reads()
    {
        // One order exactly as the version 2 writer laid it out: flags byte 1 = post-only, nothing after the client order id.
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(0u); // instruments
            w.Write(0u); // accounts
            w.Write(1L); // orders
            w.Write(0); // instrument
            w.Write(42L); // id
            w.Write(3); // account
            w.Write((byte)Side.Sell);
            w.Write((byte)SelfTradePrevention.CancelBoth);
            w.Write((byte)1);
            w.Write(5_000_100L); // price
            w.Write(7L); // remaining
            w.Write(10L); // quantity
            w.Write(3L); // filled
            w.Write(1_700_000_000_000_000L); // created
            w.Write((ushort)2);
            w.Write("c1"u8);
        }
        byte[] body = ms.ToArray();
        var file = new byte[SnapshotFormat.HeaderSize + body.Length];
        body.CopyTo(file, SnapshotFormat.HeaderSize);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file, SnapshotFormat.Magic);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 2);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(8), 6);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(16), 42);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(32), body.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(40), Crc32C.Compute(body));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(44), Crc32C.Compute(file.AsSpan(0, 44)));
        var order = SnapshotFormat.Decode(file, "v2").Orders.Single();
        Assert.Equal(new SnapshotOrder(0, 42, 3, Side.Sell, 5_000_100, 7, true, SelfTradePrevention.CancelBoth, 10, 3, 1_700_000_000_000_000, "c1"),
            order);

        // The version 3 writer lays the same order out byte for byte alike, and appends the terms block only to orders with flags.
        var v3 = SnapshotFormat.Encode(new SnapshotData { Sequence = 6, NextOrderId = 42, Orders = [order] });
        Assert.Equal(body, v3.AsSpan(SnapshotFormat.HeaderSize).ToArray());
        var withTerms = SnapshotFormat.Encode(new SnapshotData
        {
            Sequence = 6, NextOrderId = 42,
            Orders = [order with { Flags = OrderFlags.Expires, Terms = new OrderTerms { ExpireTime = 5, Type = OrderType.Limit, Tif = TimeInForce.Gtd } }],
        });
        var tail = withTerms.AsSpan(SnapshotFormat.HeaderSize + body.Length);
        Assert.Equal(8 * 4 + 2 + 8, tail.Length); // hidden, display, expire, trigger, type, tif, reserved price
        Assert.Equal(1 | (4 << 1), withTerms[SnapshotFormat.HeaderSize + 4 + 4 + 8 + 4 + 8 + 4 + 1 + 1]); // post-only | good till date
    }
}
