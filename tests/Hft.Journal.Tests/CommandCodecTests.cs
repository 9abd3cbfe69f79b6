using CsCheck;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Journal.Tests;

public sealed class CommandCodecTests
{
    private static readonly Gen<CommandOp> Ops = Gen.OneOfConst(CommandOp.New, CommandOp.Cancel, CommandOp.Replace, CommandOp.MassCancel, CommandOp.Expire);

    private static readonly Gen<OrderCommand> Commands =
        Gen.Select(Ops, Gen.Byte, Gen.Byte, Gen.Byte, Gen.Byte, Gen.Bool, Gen.Bool, Gen.Byte)
            .Select(Gen.Select(Gen.Byte, Gen.Long, Gen.Int, Gen.Int, Gen.Long, Gen.Long), (a, b) => new OrderCommand
            {
                Op = a.Item1, Side = (Side)a.Item2, Type = (OrderType)a.Item3, Tif = (TimeInForce)a.Item4,
                Stp = (SelfTradePrevention)a.Item5, PostOnly = a.Item6, HasPrice = a.Item7, EdgeReject = (RejectReason)a.Item8,
                CancelReason = (CancelReason)b.Item1, OrderId = b.Item2, Account = b.Item3, Instrument = b.Item4,
                Price = b.Item5, Quantity = b.Item6,
            });

    [Fact]
    public void Every_field_round_trips()
    {
        Gen.Select(Commands, Gen.Int).Sample((c, shard) =>
        {
            var buf = new byte[CommandCodec.Size + 8];
            buf.AsSpan().Fill(0xAB);
            CommandCodec.Write(buf, c, shard);
            Assert.All(buf[CommandCodec.Size..], b => Assert.Equal(0xAB, b)); // writes exactly Size bytes
            Assert.Equal(0, BitConverter.ToInt32(buf, 44)); // reserved stays zero
            Assert.True(CommandCodec.TryRead(buf.AsSpan(0, CommandCodec.Size), out var back, out int shardBack));
            Assert.Equal(c, back);
            Assert.Equal(shard, shardBack);
        }, iter: 2000);
    }

    [Fact]
    public void Rejects_wrong_size_and_unknown_op()
    {
        var buf = new byte[CommandCodec.Size];
        CommandCodec.Write(buf, OrderCommand.Cancel(1, 2, 3), 0);
        Assert.False(CommandCodec.TryRead(buf.AsSpan(0, CommandCodec.Size - 1), out _, out _));
        Assert.False(CommandCodec.TryRead(new byte[CommandCodec.Size + 1], out _, out _));
        foreach (byte op in new byte[] { 0, 6, 255 })
        {
            buf[0] = op;
            Assert.False(CommandCodec.TryRead(buf, out _, out _));
        }
    }

    [Fact]
    public void Layout_is_pinned()
    {
        // A change here breaks every journal on disk: bump JournalFormat.Version and keep a reader for the old layout.
        var c = OrderCommand.NewLimit(0x0102030405060708, 0x11223344, 7, Side.Sell, 100_000, 25, TimeInForce.Ioc, postOnly: true,
            SelfTradePrevention.CancelBoth);
        c.EdgeReject = RejectReason.InvalidQty;
        c.CancelReason = CancelReason.IocRemainder;
        var buf = new byte[CommandCodec.Size];
        CommandCodec.Write(buf, c, shard: 3);
        Assert.Equal(
            "0102010203030302" + // op New, side Sell, type Limit, tif Ioc, stp CancelBoth, flags post-only|has-price, edge reject 3, cancel reason 2
            "0807060504030201" + // order id
            "44332211" + "07000000" + // account, instrument
            "A086010000000000" + // price 100000
            "1900000000000000" + // quantity 25
            "03000000" + "00000000", // shard, reserved
            Convert.ToHexString(buf));

        var m = OrderCommand.MassCancel(-1, -1, CancelReason.User);
        CommandCodec.Write(buf, m, -2);
        Assert.Equal("0400000000000001" + "0000000000000000" + "FFFFFFFF" + "FFFFFFFF" + "0000000000000000" + "0000000000000000" + "FEFFFFFF" + "00000000",
            Convert.ToHexString(buf));
    }

    [Fact]
    public void Order_type_terms_round_trip_after_the_fixed_part_and_before_the_client_order_id()
    {
        Gen.Select(Commands, Gen.Long, Gen.Long, Gen.Long, Gen.Int).Sample((c, trigger, display, expire, shard) =>
        {
            c.TriggerPrice = trigger;
            c.DisplayQuantity = display;
            c.ExpireTime = expire;
            var buf = new byte[CommandCodec.MaxSize];
            int length = CommandCodec.Write(buf, c, shard, "client-7");
            bool terms = trigger != 0 || display != 0 || expire != 0;
            Assert.Equal(CommandCodec.Size + (terms ? CommandCodec.TermsSize : 0) + 8, length);
            Assert.True(CommandCodec.TryRead(buf.AsSpan(0, length), out var back, out int shardBack, out var clientId));
            Assert.Equal(c, back);
            Assert.Equal(shard, shardBack);
            Assert.Equal("client-7", clientId);
        }, iter: 2000);
    }

    [Fact]
    public void Terms_layout_is_pinned()
    {
        // A change here breaks every journal holding a stop, iceberg, good-till-date order or expiry command.
        var c = OrderCommand.NewTriggered(9, 1, 0, Side.Buy, OrderType.StopLimit, triggerPrice: 0x0A0B, price: 100, qty: 5, TimeInForce.Gtd);
        c.DisplayQuantity = 2;
        c.ExpireTime = 0x0102030405060708;
        var buf = new byte[CommandCodec.Size + CommandCodec.TermsSize];
        Assert.Equal(buf.Length, CommandCodec.Write(buf, c, shard: 0));
        string hex = Convert.ToHexString(buf);
        Assert.Equal("0101040400060000", hex[..16]); // op New, side Buy, type StopLimit, tif Gtd, stp None, flags has-price|terms
        Assert.Equal("0B0A000000000000" + "0200000000000000" + "0807060504030201", hex[(CommandCodec.Size * 2)..]);

        var expiry = OrderCommand.Expire(1_000);
        Assert.Equal(CommandCodec.Size + CommandCodec.TermsSize, CommandCodec.Write(buf, expiry, shard: 0));
        Assert.True(CommandCodec.TryRead(buf, out var back, out _));
        Assert.Equal(expiry, back);
    }
}
