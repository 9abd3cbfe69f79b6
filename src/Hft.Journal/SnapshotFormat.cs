using System.Buffers.Binary;
using System.Text;
using Hft.Core.Book;
using Hft.Core.Numerics;
using Hft.Core.Orders;
using Hft.Risk;

namespace Hft.Journal;

/// <summary>A snapshot file that cannot be used: bad magic, version, checksum or content.</summary>
public sealed class SnapshotCorruptException(string file, string problem) : Exception($"snapshot corrupt: {file}: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
}

/// <summary>
/// The on-disk layout of a snapshot, little-endian throughout. Versioned: a reader refuses versions it does not know.
/// <code>
/// header (48 bytes): magic "HFTS" | u16 version | u16 reserved | i64 journal sequence covered | i64 next order id
///                    | i64 created (unix ms) | i64 body length | u32 crc32c of the body | u32 crc32c of the first 44 bytes
/// body:  u32 instruments, each: i32 index | str symbol | u8 flags (1 halted by an operator, 2 has band, 4 halted by the feed)
///                               | i128 band pct | i64 mark | i64 last trade | i64 band widen ppm (version 2 on)
///        u32 accounts, each: i32 id | str name | u8 flags (1 declared, 2 enabled) | limits | i32 open orders
///                            | i32 saturated open orders | i128 open notional | u32 positions, each: i32 instrument | i64 position
///                            | i64 open buy | i64 open sell | i128 cost | i128 realized | i128 fees | u8 active
///        limits: u8 presence (1 credit, 2 max qty, 4 max notional, 8 max position, 16 max open orders) | 4 × i128 | i32 | i128 maker bps | i128 taker bps
///        i64 orders, each: i32 instrument | i64 id | i32 account | u8 side | u8 stp
///                          | u8 flags (1 post-only; version 3 on: 2 iceberg, 4 pending stop, 8 good till date) | i64 price
///                          | i64 remaining (an iceberg's displayed slice) | i64 quantity | i64 filled | i64 created (unix µs)
///                          | str client order id
///                          | when any of flags 2, 4, 8 (version 3 on): i64 hidden reserve | i64 display quantity
///                            | i64 expire time (unix ns) | i64 trigger price | u8 order type | u8 time in force
///                            | i64 price risk reserved it at (0 = its price)
///        orders are per instrument: resting bids, resting asks (queue order), pending stops firing on a rise, then
///        on a fall (firing order). The expiry queue is not stored: restore rebuilds it from the expire times.
///        str: u16 byte length | UTF-8
/// </code>
/// Versions 1 (no band widen field, no feed halt flag) and 2 (no order terms) are still read.
/// Files are named <c>snapshot-{sequence:D20}.snap</c>, so that name order is sequence order.
/// </summary>
public static class SnapshotFormat
{
    public const uint Magic = 0x53544648; // "HFTS" little-endian
    public const ushort Version = 3;
    public const int HeaderSize = 48;
    public const string Prefix = "snapshot-";
    public const string Suffix = ".snap";

    /// <summary>Largest body accepted (anything claiming more is corruption).</summary>
    public const long MaxBody = 1L << 34;

    public static string FileName(long sequence) => $"{Prefix}{sequence:D20}{Suffix}";

    public static bool TryParseFileName(string fileName, out long sequence)
    {
        sequence = 0;
        if (!fileName.StartsWith(Prefix, StringComparison.Ordinal) || !fileName.EndsWith(Suffix, StringComparison.Ordinal)) return false;
        var digits = fileName.AsSpan(Prefix.Length, fileName.Length - Prefix.Length - Suffix.Length);
        return digits.Length == 20 && long.TryParse(digits, System.Globalization.NumberStyles.None, null, out sequence);
    }

    /// <summary>The whole file: header then body.</summary>
    public static byte[] Encode(SnapshotData s)
    {
        using var ms = new MemoryStream(1 << 16);
        ms.Write(new byte[HeaderSize]);
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write((uint)s.Instruments.Count);
            foreach (var i in s.Instruments)
            {
                w.Write(i.Index);
                Str(w, i.Symbol);
                w.Write((byte)((i.Halted ? 1 : 0) | (i.BandPct is null ? 0 : 2) | (i.FeedHalted ? 4 : 0)));
                I128(w, (i.BandPct ?? Amount.Zero).Raw);
                w.Write(i.Mark);
                w.Write(i.LastTrade);
                w.Write(i.BandWidenPpm);
            }
            w.Write((uint)s.Accounts.Count);
            foreach (var a in s.Accounts)
            {
                w.Write(a.Id);
                Str(w, a.Name);
                w.Write((byte)((a.Declared ? 1 : 0) | (a.Enabled ? 2 : 0)));
                var l = a.Limits;
                w.Write((byte)((l.Credit is null ? 0 : 1) | (l.MaxOrderQty is null ? 0 : 2) | (l.MaxOrderNotional is null ? 0 : 4)
                    | (l.MaxPosition is null ? 0 : 8) | (l.MaxOpenOrders is null ? 0 : 16)));
                I128(w, (l.Credit ?? Amount.Zero).Raw);
                I128(w, (l.MaxOrderQty ?? Amount.Zero).Raw);
                I128(w, (l.MaxOrderNotional ?? Amount.Zero).Raw);
                I128(w, (l.MaxPosition ?? Amount.Zero).Raw);
                w.Write(l.MaxOpenOrders ?? 0);
                I128(w, l.MakerFeeBps.Raw);
                I128(w, l.TakerFeeBps.Raw);
                w.Write(a.OpenOrders);
                w.Write(a.SaturatedOpenOrders);
                I128(w, a.OpenNotional.Raw);
                w.Write((uint)a.Positions.Count);
                foreach (var (inst, p) in a.Positions)
                {
                    w.Write(inst);
                    w.Write(p.Position);
                    w.Write(p.OpenBuy);
                    w.Write(p.OpenSell);
                    I128(w, p.Cost.Raw);
                    I128(w, p.Realized.Raw);
                    I128(w, p.Fees.Raw);
                    w.Write((byte)(p.Active ? 1 : 0));
                }
            }
            w.Write((long)s.Orders.Count);
            foreach (var o in s.Orders)
            {
                w.Write(o.Instrument);
                w.Write(o.Id);
                w.Write(o.Account);
                w.Write((byte)o.Side);
                w.Write((byte)o.Stp);
                w.Write((byte)((o.PostOnly ? 1 : 0) | ((int)o.Flags << 1)));
                w.Write(o.Price);
                w.Write(o.Remaining);
                w.Write(o.Quantity);
                w.Write(o.Filled);
                w.Write(o.CreatedMicros);
                Str(w, o.ClientOrderId ?? "");
                if (o.Flags != OrderFlags.None) WriteTerms(w, o);
            }
        }
        byte[] bytes = ms.ToArray();
        var h = bytes.AsSpan(0, HeaderSize);
        var body = bytes.AsSpan(HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(h, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(h[8..], s.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(h[16..], s.NextOrderId);
        BinaryPrimitives.WriteInt64LittleEndian(h[24..], s.CreatedUnixMs);
        BinaryPrimitives.WriteInt64LittleEndian(h[32..], body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[40..], Crc32C.Compute(body));
        BinaryPrimitives.WriteUInt32LittleEndian(h[44..], Crc32C.Compute(h[..44]));
        return bytes;
    }

    /// <summary>Checks the header and the body's CRC; returns null when both hold, else the problem.</summary>
    public static string? Check(ReadOnlySpan<byte> file, out long sequence)
    {
        sequence = 0;
        if (file.Length < HeaderSize) return $"truncated ({file.Length} bytes, header needs {HeaderSize})";
        if (BinaryPrimitives.ReadUInt32LittleEndian(file) != Magic) return "not a snapshot (bad magic)";
        if (BinaryPrimitives.ReadUInt32LittleEndian(file[44..]) != Crc32C.Compute(file[..44])) return "header checksum mismatch";
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(file[4..]);
        if (version is < 1 or > Version) return $"unsupported snapshot format version {version} (this build reads 1 to {Version})";
        long length = BinaryPrimitives.ReadInt64LittleEndian(file[32..]);
        if (length < 0 || length > MaxBody || HeaderSize + length != file.Length)
            return $"body length {length} does not match the file ({file.Length - HeaderSize} bytes after the header)";
        if (Crc32C.Compute(file[HeaderSize..]) != BinaryPrimitives.ReadUInt32LittleEndian(file[40..])) return "body checksum mismatch";
        sequence = BinaryPrimitives.ReadInt64LittleEndian(file[8..]);
        return null;
    }

    /// <summary>Decodes a whole snapshot file; <see cref="SnapshotCorruptException"/> when anything is wrong.</summary>
    public static SnapshotData Decode(byte[] file, string name)
    {
        if (Check(file, out long sequence) is { } problem) throw new SnapshotCorruptException(name, problem);
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(4));
        try
        {
            using var r = new BinaryReader(new MemoryStream(file, HeaderSize, file.Length - HeaderSize, writable: false), Encoding.UTF8);
            var data = new SnapshotData
            {
                Sequence = sequence,
                NextOrderId = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(16)),
                CreatedUnixMs = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(24)),
            };
            uint instruments = r.ReadUInt32();
            for (uint k = 0; k < instruments; k++)
            {
                int index = r.ReadInt32();
                string symbol = ReadStr(r);
                byte flags = r.ReadByte();
                var band = new Amount(ReadI128(r));
                long mark = r.ReadInt64();
                long last = r.ReadInt64();
                long widen = version >= 2 ? r.ReadInt64() : 0;
                data.Instruments.Add(new SnapshotInstrument(index, symbol, (flags & 2) != 0 ? band : null, mark, last, (flags & 1) != 0,
                    (flags & 4) != 0, widen));
            }
            uint accounts = r.ReadUInt32();
            for (uint k = 0; k < accounts; k++)
            {
                int id = r.ReadInt32();
                string name2 = ReadStr(r);
                byte flags = r.ReadByte();
                byte bits = r.ReadByte();
                Amount credit = new(ReadI128(r)), maxQty = new(ReadI128(r)), maxNotional = new(ReadI128(r)), maxPosition = new(ReadI128(r));
                int maxOpen = r.ReadInt32();
                Amount maker = new(ReadI128(r)), taker = new(ReadI128(r));
                var limits = new AccountLimits
                {
                    Credit = (bits & 1) != 0 ? credit : null,
                    MaxOrderQty = (bits & 2) != 0 ? maxQty : null,
                    MaxOrderNotional = (bits & 4) != 0 ? maxNotional : null,
                    MaxPosition = (bits & 8) != 0 ? maxPosition : null,
                    MaxOpenOrders = (bits & 16) != 0 ? maxOpen : null,
                    MakerFeeBps = maker,
                    TakerFeeBps = taker,
                };
                int openOrders = r.ReadInt32();
                int saturated = r.ReadInt32();
                var openNotional = new Amount(ReadI128(r));
                uint positions = r.ReadUInt32();
                var list = new List<(int, PositionState)>((int)Math.Min(positions, 1024));
                for (uint p = 0; p < positions; p++)
                {
                    int inst = r.ReadInt32();
                    var state = new PositionState
                    {
                        Position = r.ReadInt64(), OpenBuy = r.ReadInt64(), OpenSell = r.ReadInt64(),
                        Cost = new Amount(ReadI128(r)), Realized = new Amount(ReadI128(r)), Fees = new Amount(ReadI128(r)),
                    };
                    state.Active = r.ReadByte() != 0;
                    list.Add((inst, state));
                }
                data.Accounts.Add(new SnapshotAccount
                {
                    Id = id, Name = name2, Declared = (flags & 1) != 0, Enabled = (flags & 2) != 0, Limits = limits, OpenOrders = openOrders,
                    SaturatedOpenOrders = saturated, OpenNotional = openNotional, Positions = list,
                });
            }
            long orders = r.ReadInt64();
            if (orders < 0 || orders > (file.Length - HeaderSize) / 40) throw new SnapshotCorruptException(name, $"order count {orders} is impossible");
            data.Orders.Capacity = (int)orders;
            for (long k = 0; k < orders; k++)
            {
                int inst = r.ReadInt32();
                long id = r.ReadInt64();
                int account = r.ReadInt32();
                var side = (Side)r.ReadByte();
                var stp = (SelfTradePrevention)r.ReadByte();
                byte orderFlags = r.ReadByte();
                bool postOnly = (orderFlags & 1) != 0;
                var flags = version >= 3 ? (OrderFlags)(orderFlags >> 1) : OrderFlags.None;
                long price = r.ReadInt64(), remaining = r.ReadInt64(), quantity = r.ReadInt64(), filled = r.ReadInt64(), created = r.ReadInt64();
                string client = ReadStr(r);
                var (terms, reserved) = flags != OrderFlags.None ? ReadTerms(r) : (default(OrderTerms), 0L);
                data.Orders.Add(new SnapshotOrder(inst, id, account, side, price, remaining, postOnly, stp, quantity, filled, created,
                    client.Length == 0 ? null : client, flags, terms, reserved));
            }
            if (r.BaseStream.Position != r.BaseStream.Length)
                throw new SnapshotCorruptException(name, $"{r.BaseStream.Length - r.BaseStream.Position} unexpected bytes after the orders");
            return data;
        }
        catch (EndOfStreamException)
        {
            throw new SnapshotCorruptException(name, "body ends early");
        }
        catch (DecoderFallbackException)
        {
            throw new SnapshotCorruptException(name, "invalid UTF-8 text");
        }
    }

    /// <summary>The terms block of an order with flags (version 3 on).</summary>
    private static void WriteTerms(BinaryWriter w, in SnapshotOrder o)
    {
        w.Write(o.Terms.Hidden);
        w.Write(o.Terms.DisplayQuantity);
        w.Write(o.Terms.ExpireTime);
        w.Write(o.Terms.TriggerPrice);
        w.Write((byte)o.Terms.Type);
        w.Write((byte)o.Terms.Tif);
        w.Write(o.ReservedPrice);
    }

    private static (OrderTerms Terms, long ReservedPrice) ReadTerms(BinaryReader r)
    {
        var terms = new OrderTerms
        {
            Hidden = r.ReadInt64(), DisplayQuantity = r.ReadInt64(), ExpireTime = r.ReadInt64(), TriggerPrice = r.ReadInt64(),
            Type = (OrderType)r.ReadByte(), Tif = (TimeInForce)r.ReadByte(),
        };
        return (terms, r.ReadInt64());
    }

    private static void Str(BinaryWriter w, string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        if (b.Length > ushort.MaxValue) throw new ArgumentException("snapshot text too long");
        w.Write((ushort)b.Length);
        w.Write(b);
    }

    private static string ReadStr(BinaryReader r)
    {
        int n = r.ReadUInt16();
        byte[] b = r.ReadBytes(n);
        if (b.Length != n) throw new EndOfStreamException();
        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(b);
    }

    private static void I128(BinaryWriter w, Int128 v)
    {
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteInt128LittleEndian(b, v);
        w.Write(b);
    }

    private static Int128 ReadI128(BinaryReader r)
    {
        Span<byte> b = stackalloc byte[16];
        if (r.Read(b) != 16) throw new EndOfStreamException();
        return BinaryPrimitives.ReadInt128LittleEndian(b);
    }
}
