using System.Buffers.Binary;
using Hft.Core.Numerics;
using Hft.Risk;

namespace Hft.Pipeline.Admin;

/// <summary>Administrative changes written to the journal. Persisted: append only, never renumber.</summary>
public enum AdminKind : byte
{
    Halt = 1,
    Resume = 2,
    Mark = 3,
    AccountEnabled = 4,
    AccountLimits = 5,

    /// <summary>The reference price feed halts (value 1) or lifts its halt (value 0); an operator's halt is separate.</summary>
    FeedHalt = 6,

    /// <summary>The reference price feed widens the band by value millionths (0 = back to the configured band).</summary>
    BandWiden = 7,
}

/// <summary>
/// An operator's change as a journal payload (little-endian):
/// <code>
/// 0 u8 kind | 1 i32 instrument | 5 i32 account | 9 i64 value (mark ticks, enabled 0/1, feed halt 0/1, band widen ppm)
/// kind AccountLimits: 17 u8 presence bits (credit, max qty, max notional, max position, max open orders) then
///   credit, max qty, max notional, max position as i128 raw Amounts (16 bytes each), i32 max open orders, maker and taker fee bps as i128
/// </code>
/// </summary>
public readonly record struct AdminRecord(AdminKind Kind, int Instrument, int Account, long Value, AccountLimits? Limits)
{
    public const int MaxSize = 17 + 1 + 4 * 16 + 4 + 2 * 16;

    public int Write(Span<byte> dest)
    {
        dest[..MaxSize].Clear();
        dest[0] = (byte)Kind;
        BinaryPrimitives.WriteInt32LittleEndian(dest[1..], Instrument);
        BinaryPrimitives.WriteInt32LittleEndian(dest[5..], Account);
        BinaryPrimitives.WriteInt64LittleEndian(dest[9..], Value);
        if (Kind != AdminKind.AccountLimits || Limits is not { } l) return 17;
        dest[17] = (byte)((l.Credit is null ? 0 : 1) | (l.MaxOrderQty is null ? 0 : 2) | (l.MaxOrderNotional is null ? 0 : 4)
            | (l.MaxPosition is null ? 0 : 8) | (l.MaxOpenOrders is null ? 0 : 16));
        int o = 18;
        foreach (var a in new[] { l.Credit, l.MaxOrderQty, l.MaxOrderNotional, l.MaxPosition })
        {
            BinaryPrimitives.WriteInt128LittleEndian(dest[o..], (a ?? Amount.Zero).Raw);
            o += 16;
        }
        BinaryPrimitives.WriteInt32LittleEndian(dest[o..], l.MaxOpenOrders ?? 0);
        o += 4;
        BinaryPrimitives.WriteInt128LittleEndian(dest[o..], l.MakerFeeBps.Raw);
        o += 16;
        BinaryPrimitives.WriteInt128LittleEndian(dest[o..], l.TakerFeeBps.Raw);
        return o + 16;
    }

    private static Amount? At(ReadOnlySpan<byte> src, int offset, byte bits, int bit)
        => (bits & bit) != 0 ? new Amount(BinaryPrimitives.ReadInt128LittleEndian(src.Slice(offset, 16))) : null;

    public static bool TryRead(ReadOnlySpan<byte> src, out AdminRecord record)
    {
        record = default;
        if (src.Length < 17) return false;
        var kind = (AdminKind)src[0];
        int instrument = BinaryPrimitives.ReadInt32LittleEndian(src[1..]);
        int account = BinaryPrimitives.ReadInt32LittleEndian(src[5..]);
        long value = BinaryPrimitives.ReadInt64LittleEndian(src[9..]);
        AccountLimits? limits = null;
        if (kind == AdminKind.AccountLimits)
        {
            if (src.Length != MaxSize) return false;
            byte bits = src[17];
            var credit = At(src, 18, bits, 1);
            var maxQty = At(src, 34, bits, 2);
            var maxNotional = At(src, 50, bits, 4);
            var maxPosition = At(src, 66, bits, 8);
            int o = 82;
            int maxOpen = BinaryPrimitives.ReadInt32LittleEndian(src[o..]);
            o += 4;
            var maker = new Amount(BinaryPrimitives.ReadInt128LittleEndian(src[o..]));
            var taker = new Amount(BinaryPrimitives.ReadInt128LittleEndian(src[(o + 16)..]));
            limits = new AccountLimits
            {
                Credit = credit, MaxOrderQty = maxQty, MaxOrderNotional = maxNotional, MaxPosition = maxPosition,
                MaxOpenOrders = (bits & 16) != 0 ? maxOpen : null, MakerFeeBps = maker, TakerFeeBps = taker,
            };
        }
        else if (src.Length != 17 || kind is not (AdminKind.Halt or AdminKind.Resume or AdminKind.Mark or AdminKind.AccountEnabled
            or AdminKind.FeedHalt or AdminKind.BandWiden))
        {
            return false;
        }
        record = new AdminRecord(kind, instrument, account, value, limits);
        return true;
    }
}
