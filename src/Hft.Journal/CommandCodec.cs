using System.Buffers.Binary;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Journal;

/// <summary>
/// An <see cref="OrderCommand"/> as the pipeline decided it (risk's reason in EdgeReject, a market order's band
/// protection in HasPrice/Price), in a fixed 48-byte little-endian layout, then the order-type terms when flag 4 is set:
/// <code>
/// 0 op | 1 side | 2 type | 3 tif | 4 stp | 5 flags (1 post-only, 2 has-price, 4 terms follow) | 6 edge reject | 7 cancel reason
/// 8 i64 order id | 16 i32 account | 20 i32 instrument | 24 i64 price | 32 i64 quantity | 40 i32 shard | 44 u16 client id bytes | 46 reserved
/// flag 4 only: 48 i64 trigger price | 56 i64 display quantity | 64 i64 expire time (Unix ns; for an expiry command its clock)
/// then the client order id in UTF-8 (0 to 192 bytes), so that a recovered order keeps it
/// </code>
/// A command without a trigger price, display quantity or expire time is written exactly as before the terms existed,
/// so journals written before them read unchanged.
/// </summary>
public static class CommandCodec
{
    public const int Size = 48;
    public const int TermsSize = 24;
    public const int MaxClientIdBytes = 192;
    public const int MaxSize = Size + TermsSize + MaxClientIdBytes;

    private const byte TermsFlag = 4;

    /// <summary>Encodes the command (and the gateway's client order id, if any); returns the payload length.</summary>
    public static int Write(Span<byte> dest, in OrderCommand c, int shard, string? clientOrderId)
    {
        int length = Write(dest, in c, shard);
        if (string.IsNullOrEmpty(clientOrderId)) return length;
        int n = System.Text.Encoding.UTF8.GetBytes(clientOrderId, dest.Slice(length, MaxClientIdBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(dest[44..], (ushort)n);
        return length + n;
    }

    /// <summary>Encodes the command without a client order id; returns the length (<see cref="Size"/>, plus the terms when it has any).</summary>
    public static int Write(Span<byte> dest, in OrderCommand c, int shard)
    {
        bool terms = c.TriggerPrice != 0 || c.DisplayQuantity != 0 || c.ExpireTime != 0;
        dest[..Size].Clear();
        dest[0] = (byte)c.Op;
        dest[1] = (byte)c.Side;
        dest[2] = (byte)c.Type;
        dest[3] = (byte)c.Tif;
        dest[4] = (byte)c.Stp;
        dest[5] = (byte)((c.PostOnly ? 1 : 0) | (c.HasPrice ? 2 : 0) | (terms ? TermsFlag : 0));
        dest[6] = (byte)c.EdgeReject;
        dest[7] = (byte)c.CancelReason;
        BinaryPrimitives.WriteInt64LittleEndian(dest[8..], c.OrderId);
        BinaryPrimitives.WriteInt32LittleEndian(dest[16..], c.Account);
        BinaryPrimitives.WriteInt32LittleEndian(dest[20..], c.Instrument);
        BinaryPrimitives.WriteInt64LittleEndian(dest[24..], c.Price);
        BinaryPrimitives.WriteInt64LittleEndian(dest[32..], c.Quantity);
        BinaryPrimitives.WriteInt32LittleEndian(dest[40..], shard);
        if (!terms) return Size;
        BinaryPrimitives.WriteInt64LittleEndian(dest[48..], c.TriggerPrice);
        BinaryPrimitives.WriteInt64LittleEndian(dest[56..], c.DisplayQuantity);
        BinaryPrimitives.WriteInt64LittleEndian(dest[64..], c.ExpireTime);
        return Size + TermsSize;
    }

    private static int FixedLength(ReadOnlySpan<byte> src) => (src[5] & TermsFlag) != 0 ? Size + TermsSize : Size;

    public static bool TryRead(ReadOnlySpan<byte> src, out OrderCommand c, out int shard, out string? clientOrderId)
    {
        clientOrderId = null;
        int fixedLength = src.Length < Size ? Size : FixedLength(src);
        if (src.Length < fixedLength || !TryRead(src[..fixedLength], out c, out shard)) { c = default; shard = 0; return false; }
        int n = BinaryPrimitives.ReadUInt16LittleEndian(src[44..]);
        if (n > MaxClientIdBytes || src.Length != fixedLength + n) return false;
        if (n > 0) clientOrderId = System.Text.Encoding.UTF8.GetString(src.Slice(fixedLength, n));
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> src, out OrderCommand c, out int shard)
    {
        c = default;
        shard = 0;
        if (src.Length < Size || src.Length != FixedLength(src)) return false;
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
        if (src.Length > Size)
        {
            c.TriggerPrice = BinaryPrimitives.ReadInt64LittleEndian(src[48..]);
            c.DisplayQuantity = BinaryPrimitives.ReadInt64LittleEndian(src[56..]);
            c.ExpireTime = BinaryPrimitives.ReadInt64LittleEndian(src[64..]);
        }
        return c.Op is CommandOp.New or CommandOp.Cancel or CommandOp.Replace or CommandOp.MassCancel or CommandOp.Expire;
    }
}
