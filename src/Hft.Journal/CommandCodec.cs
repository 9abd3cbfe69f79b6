using System.Buffers.Binary;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Journal;

/// <summary>
/// An <see cref="OrderCommand"/> as the pipeline decided it (risk's reason in EdgeReject, a market order's band
/// protection in HasPrice/Price), in a fixed 48-byte little-endian layout:
/// <code>
/// 0 op | 1 side | 2 type | 3 tif | 4 stp | 5 flags (1 post-only, 2 has-price) | 6 edge reject | 7 cancel reason
/// 8 i64 order id | 16 i32 account | 20 i32 instrument | 24 i64 price | 32 i64 quantity | 40 i32 shard | 44 u16 client id bytes | 46 reserved
/// 48.. the client order id in UTF-8 (0 to 192 bytes), so that a recovered order keeps it
/// </code>
/// </summary>
public static class CommandCodec
{
    public const int Size = 48;
    public const int MaxClientIdBytes = 192;
    public const int MaxSize = Size + MaxClientIdBytes;

    /// <summary>Encodes the command (and the gateway's client order id, if any); returns the payload length.</summary>
    public static int Write(Span<byte> dest, in OrderCommand c, int shard, string? clientOrderId)
    {
        Write(dest, in c, shard);
        if (string.IsNullOrEmpty(clientOrderId)) return Size;
        int n = System.Text.Encoding.UTF8.GetBytes(clientOrderId, dest.Slice(Size, MaxClientIdBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(dest[44..], (ushort)n);
        return Size + n;
    }

    public static void Write(Span<byte> dest, in OrderCommand c, int shard)
    {
        dest[..Size].Clear();
        dest[0] = (byte)c.Op;
        dest[1] = (byte)c.Side;
        dest[2] = (byte)c.Type;
        dest[3] = (byte)c.Tif;
        dest[4] = (byte)c.Stp;
        dest[5] = (byte)((c.PostOnly ? 1 : 0) | (c.HasPrice ? 2 : 0));
        dest[6] = (byte)c.EdgeReject;
        dest[7] = (byte)c.CancelReason;
        BinaryPrimitives.WriteInt64LittleEndian(dest[8..], c.OrderId);
        BinaryPrimitives.WriteInt32LittleEndian(dest[16..], c.Account);
        BinaryPrimitives.WriteInt32LittleEndian(dest[20..], c.Instrument);
        BinaryPrimitives.WriteInt64LittleEndian(dest[24..], c.Price);
        BinaryPrimitives.WriteInt64LittleEndian(dest[32..], c.Quantity);
        BinaryPrimitives.WriteInt32LittleEndian(dest[40..], shard);
    }

    public static bool TryRead(ReadOnlySpan<byte> src, out OrderCommand c, out int shard, out string? clientOrderId)
    {
        clientOrderId = null;
        if (src.Length < Size || !TryRead(src[..Size], out c, out shard)) { c = default; shard = 0; return false; }
        int n = BinaryPrimitives.ReadUInt16LittleEndian(src[44..]);
        if (n > MaxClientIdBytes || src.Length != Size + n) return false;
        if (n > 0) clientOrderId = System.Text.Encoding.UTF8.GetString(src.Slice(Size, n));
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> src, out OrderCommand c, out int shard)
    {
        c = default;
        shard = 0;
        if (src.Length != Size) return false;
        c.Op = (CommandOp)src[0];
        c.Side = (Side)src[1];
        c.Type = (OrderType)src[2];
        c.Tif = (TimeInForce)src[3];
        c.Stp = (SelfTradePrevention)src[4];
        c.PostOnly = (src[5] & 1) != 0;
        c.HasPrice = (src[5] & 2) != 0;
        c.EdgeReject = (RejectReason)src[6];
        c.CancelReason = (CancelReason)src[7];
        c.OrderId = BinaryPrimitives.ReadInt64LittleEndian(src[8..]);
        c.Account = BinaryPrimitives.ReadInt32LittleEndian(src[16..]);
        c.Instrument = BinaryPrimitives.ReadInt32LittleEndian(src[20..]);
        c.Price = BinaryPrimitives.ReadInt64LittleEndian(src[24..]);
        c.Quantity = BinaryPrimitives.ReadInt64LittleEndian(src[32..]);
        shard = BinaryPrimitives.ReadInt32LittleEndian(src[40..]);
        return c.Op is CommandOp.New or CommandOp.Cancel or CommandOp.Replace or CommandOp.MassCancel;
    }
}
