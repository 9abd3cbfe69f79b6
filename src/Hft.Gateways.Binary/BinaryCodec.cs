using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Hft.Core.Orders;

namespace Hft.Gateways.Binary;

/// <summary>Outcome of reading one frame's header.</summary>
public enum FrameStatus : byte
{
    /// <summary>A whole frame is available.</summary>
    Complete = 0,
    /// <summary>More bytes are needed.</summary>
    Incomplete = 1,
    /// <summary>The length field is below the header size.</summary>
    Malformed = 2,
    /// <summary>The length field is above the maximum frame size.</summary>
    Oversized = 3,
}

/// <summary>
/// Encodes and decodes the binary protocol's frames (little-endian, fixed layouts; docs/protocol/binary.md) straight
/// from and into caller-owned spans: no allocation, no exceptions on bad input (a false/status return instead).
/// </summary>
public static class BinaryCodec
{
    /// <summary>Exact frame size of each fixed-layout type (0 = unknown; Login is variable, its minimum is given).</summary>
    public static int FrameSize(MessageType type) => type switch
    {
        MessageType.Login => LoginFixedSize,
        MessageType.Logout => 16,
        MessageType.Heartbeat => 8,
        MessageType.NewOrder => 48,
        MessageType.CancelOrder => 32,
        MessageType.ReplaceOrder => 48,
        MessageType.MassCancel => 24,
        MessageType.NewOrderV2 => 72,
        MessageType.ReplaceOrderV2 => 56,
        MessageType.LoginAccepted => 24,
        MessageType.LoginRejected => 16,
        MessageType.LogoutNotice => 16,
        MessageType.ServerHeartbeat => 8,
        MessageType.SessionReject => 16,
        MessageType.OrderAccepted => 48,
        MessageType.OrderRejected => 32,
        MessageType.Fill => 64,
        MessageType.Canceled => 40,
        MessageType.Replaced => 48,
        MessageType.MassCancelDone => 24,
        MessageType.Triggered => 48,
        MessageType.ReplacedV2 => 56,
        MessageType.Refreshed => 56,
        _ => 0,
    };

    /// <summary>Login without its credential bytes.</summary>
    public const int LoginFixedSize = 16;

    /// <summary>Reads the header of the frame at the start of <paramref name="buffer"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FrameStatus TryReadFrameLength(ReadOnlySpan<byte> buffer, int maxFrameSize, out int length)
    {
        length = 0;
        if (buffer.Length < 2) return FrameStatus.Incomplete;
        length = BinaryPrimitives.ReadUInt16LittleEndian(buffer);
        if (length < BinaryProtocol.HeaderSize) return FrameStatus.Malformed;
        if (length > maxFrameSize) return FrameStatus.Oversized;
        return buffer.Length < length ? FrameStatus.Incomplete : FrameStatus.Complete;
    }

    /// <summary>The type and sequence of a complete frame (its length already checked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReadHeader(ReadOnlySpan<byte> frame, out MessageType type, out uint sequence)
    {
        type = (MessageType)frame[2];
        sequence = BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]);
    }

    /// <summary>
    /// Decodes a complete fixed-layout frame. False when its type is unknown, it is Login (see <see cref="TryReadLogin"/>),
    /// or its length is not the type's exact size.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out BinaryMessage m)
    {
        m = default;
        if (frame.Length < BinaryProtocol.HeaderSize) return false;
        ReadHeader(frame, out m.Type, out m.Sequence);
        int size = FrameSize(m.Type);
        if (size == 0 || m.Type == MessageType.Login || frame.Length != size) return false;
        var b = frame[BinaryProtocol.HeaderSize..];
        switch (m.Type)
        {
            case MessageType.Heartbeat or MessageType.ServerHeartbeat:
                break;
            case MessageType.Logout or MessageType.LoginRejected or MessageType.LogoutNotice:
                m.Reason = b[0];
                break;
            case MessageType.NewOrder or MessageType.NewOrderV2:
                m.ClientOrderId = U64(b, 0);
                m.Price = I64(b, 8);
                m.Quantity = I64(b, 16);
                m.Instrument = I32(b, 24);
                m.Side = (Side)b[28];
                m.OrderType = (OrderType)b[29];
                m.Tif = (TimeInForce)b[30];
                m.Stp = (SelfTradePrevention)b[31];
                m.Flags = b[32];
                if (m.Type == MessageType.NewOrder) break;
                m.TriggerPrice = I64(b, 40);
                m.DisplayQuantity = I64(b, 48);
                m.ExpireTime = I64(b, 56);
                break;
            case MessageType.CancelOrder:
                m.ClientOrderId = U64(b, 0);
                m.OrderId = I64(b, 8);
                m.Instrument = I32(b, 16);
                break;
            case MessageType.ReplaceOrder or MessageType.ReplaceOrderV2:
                m.ClientOrderId = U64(b, 0);
                m.OrderId = I64(b, 8);
                m.Price = I64(b, 16);
                m.Quantity = I64(b, 24);
                m.Instrument = I32(b, 32);
                m.Flags = b[36];
                if (m.Type == MessageType.ReplaceOrder) break;
                m.TriggerPrice = I64(b, 40);
                break;
            case MessageType.MassCancel:
                m.ClientOrderId = U64(b, 0);
                m.Instrument = I32(b, 8);
                break;
            case MessageType.LoginAccepted:
                m.Version = BinaryPrimitives.ReadUInt16LittleEndian(b);
                m.HeartbeatMs = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
                m.Count = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
                m.MaxRate = BinaryPrimitives.ReadUInt32LittleEndian(b[12..]);
                break;
            case MessageType.SessionReject:
                m.RefSequence = BinaryPrimitives.ReadUInt32LittleEndian(b);
                m.RefType = (MessageType)b[4];
                m.Reason = b[5];
                break;
            case MessageType.OrderAccepted:
                m.ClientOrderId = U64(b, 0);
                m.OrderId = I64(b, 8);
                m.Price = I64(b, 16);
                m.Quantity = I64(b, 24);
                m.Instrument = I32(b, 32);
                m.Side = (Side)b[36];
                m.OrderType = (OrderType)b[37];
                m.Tif = (TimeInForce)b[38];
                break;
            case MessageType.OrderRejected:
                m.ClientOrderId = U64(b, 0);
                m.OrderId = I64(b, 8);
                m.Instrument = I32(b, 16);
                m.Reason = b[20];
                m.Op = b[21];
                break;
            case MessageType.Fill:
                m.ClientOrderId = U64(b, 0);
                m.OrderId = I64(b, 8);
                m.ExecId = I64(b, 16);
                m.Price = I64(b, 24);
                m.Quantity = I64(b, 32);
                m.Leaves = I64(b, 40);
                m.Instrument = I32(b, 48);
                m.Side = (Side)b[52];
                m.Liquidity = (Liquidity)b[53];
                break;
            case MessageType.Canceled:
                m.ClientOrderId = U64(b, 0);
                m.OrderId = I64(b, 8);
                m.Quantity = I64(b, 16);
                m.Instrument = I32(b, 24);
                m.Reason = b[28];
                break;
            case MessageType.Replaced or MessageType.ReplacedV2:
                m.ClientOrderId = U64(b, 0);
                m.OrderId = I64(b, 8);
                m.Price = I64(b, 16);
                m.Leaves = I64(b, 24);
                m.Instrument = I32(b, 32);
                if (m.Type == MessageType.Replaced) break;
                m.TriggerPrice = I64(b, 40);
                break;
            case MessageType.MassCancelDone:
                m.ClientOrderId = U64(b, 0);
                m.Count = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
                break;
            case MessageType.Triggered or MessageType.Refreshed:
                m.ClientOrderId = U64(b, 0);
                m.OrderId = I64(b, 8);
                m.Price = I64(b, 16);
                m.Quantity = I64(b, 24);
                m.Instrument = I32(b, 32);
                m.Side = (Side)b[36];
                if (m.Type == MessageType.Triggered) break;
                m.Leaves = I64(b, 40);
                break;
            default:
                return false;
        }
        return true;
    }

    /// <summary>
    /// Encodes a fixed-layout message with sequence <paramref name="sequence"/> into <paramref name="dest"/>; returns
    /// the bytes written, 0 when <paramref name="dest"/> is too small or the type is Login or unknown.
    /// </summary>
    public static int Write(in BinaryMessage m, uint sequence, Span<byte> dest)
    {
        int size = FrameSize(m.Type);
        if (size == 0 || m.Type == MessageType.Login || dest.Length < size) return 0;
        var f = dest[..size];
        f.Clear();
        WriteHeader(f, size, m.Type, sequence);
        var b = f[BinaryProtocol.HeaderSize..];
        switch (m.Type)
        {
            case MessageType.Heartbeat or MessageType.ServerHeartbeat:
                break;
            case MessageType.Logout or MessageType.LoginRejected or MessageType.LogoutNotice:
                b[0] = m.Reason;
                break;
            case MessageType.NewOrder or MessageType.NewOrderV2:
                U64(b, 0, m.ClientOrderId);
                I64(b, 8, m.Price);
                I64(b, 16, m.Quantity);
                I32(b, 24, m.Instrument);
                b[28] = (byte)m.Side;
                b[29] = (byte)m.OrderType;
                b[30] = (byte)m.Tif;
                b[31] = (byte)m.Stp;
                b[32] = m.Flags;
                if (m.Type == MessageType.NewOrder) break;
                I64(b, 40, m.TriggerPrice);
                I64(b, 48, m.DisplayQuantity);
                I64(b, 56, m.ExpireTime);
                break;
            case MessageType.CancelOrder:
                U64(b, 0, m.ClientOrderId);
                I64(b, 8, m.OrderId);
                I32(b, 16, m.Instrument);
                break;
            case MessageType.ReplaceOrder or MessageType.ReplaceOrderV2:
                U64(b, 0, m.ClientOrderId);
                I64(b, 8, m.OrderId);
                I64(b, 16, m.Price);
                I64(b, 24, m.Quantity);
                I32(b, 32, m.Instrument);
                b[36] = m.Flags;
                if (m.Type == MessageType.ReplaceOrder) break;
                I64(b, 40, m.TriggerPrice);
                break;
            case MessageType.MassCancel:
                U64(b, 0, m.ClientOrderId);
                I32(b, 8, m.Instrument);
                break;
            case MessageType.LoginAccepted:
                BinaryPrimitives.WriteUInt16LittleEndian(b, m.Version);
                BinaryPrimitives.WriteUInt32LittleEndian(b[4..], m.HeartbeatMs);
                BinaryPrimitives.WriteUInt32LittleEndian(b[8..], m.Count);
                BinaryPrimitives.WriteUInt32LittleEndian(b[12..], m.MaxRate);
                break;
            case MessageType.SessionReject:
                BinaryPrimitives.WriteUInt32LittleEndian(b, m.RefSequence);
                b[4] = (byte)m.RefType;
                b[5] = m.Reason;
                break;
            case MessageType.OrderAccepted:
                U64(b, 0, m.ClientOrderId);
                I64(b, 8, m.OrderId);
                I64(b, 16, m.Price);
                I64(b, 24, m.Quantity);
                I32(b, 32, m.Instrument);
                b[36] = (byte)m.Side;
                b[37] = (byte)m.OrderType;
                b[38] = (byte)m.Tif;
                break;
            case MessageType.OrderRejected:
                U64(b, 0, m.ClientOrderId);
                I64(b, 8, m.OrderId);
                I32(b, 16, m.Instrument);
                b[20] = m.Reason;
                b[21] = m.Op;
                break;
            case MessageType.Fill:
                U64(b, 0, m.ClientOrderId);
                I64(b, 8, m.OrderId);
                I64(b, 16, m.ExecId);
                I64(b, 24, m.Price);
                I64(b, 32, m.Quantity);
                I64(b, 40, m.Leaves);
                I32(b, 48, m.Instrument);
                b[52] = (byte)m.Side;
                b[53] = (byte)m.Liquidity;
                break;
            case MessageType.Canceled:
                U64(b, 0, m.ClientOrderId);
                I64(b, 8, m.OrderId);
                I64(b, 16, m.Quantity);
                I32(b, 24, m.Instrument);
                b[28] = m.Reason;
                break;
            case MessageType.Replaced or MessageType.ReplacedV2:
                U64(b, 0, m.ClientOrderId);
                I64(b, 8, m.OrderId);
                I64(b, 16, m.Price);
                I64(b, 24, m.Leaves);
                I32(b, 32, m.Instrument);
                if (m.Type == MessageType.Replaced) break;
                I64(b, 40, m.TriggerPrice);
                break;
            case MessageType.MassCancelDone:
                U64(b, 0, m.ClientOrderId);
                BinaryPrimitives.WriteUInt32LittleEndian(b[8..], m.Count);
                break;
            case MessageType.Triggered or MessageType.Refreshed:
                U64(b, 0, m.ClientOrderId);
                I64(b, 8, m.OrderId);
                I64(b, 16, m.Price);
                I64(b, 24, m.Quantity);
                I32(b, 32, m.Instrument);
                b[36] = (byte)m.Side;
                if (m.Type == MessageType.Triggered) break;
                I64(b, 40, m.Leaves);
                break;
            default:
                return 0;
        }
        return size;
    }

    /// <summary>Encodes a Login; returns the bytes written, 0 when the credential is empty or too long or <paramref name="dest"/> too small.</summary>
    public static int WriteLogin(ushort version, AuthKind kind, ReadOnlySpan<byte> credential, uint sequence, Span<byte> dest)
    {
        int size = LoginFixedSize + credential.Length;
        if (credential.IsEmpty || credential.Length > BinaryProtocol.MaxCredentialLength || dest.Length < size) return 0;
        var f = dest[..size];
        f.Clear();
        WriteHeader(f, size, MessageType.Login, sequence);
        var b = f[BinaryProtocol.HeaderSize..];
        BinaryPrimitives.WriteUInt16LittleEndian(b, version);
        b[2] = (byte)kind;
        BinaryPrimitives.WriteUInt16LittleEndian(b[4..], (ushort)credential.Length);
        credential.CopyTo(b[8..]);
        return size;
    }

    /// <summary>Decodes a complete Login frame; false when its declared credential length does not match the frame.</summary>
    public static bool TryReadLogin(ReadOnlySpan<byte> frame, out ushort version, out AuthKind kind, out ReadOnlySpan<byte> credential)
    {
        version = 0;
        kind = 0;
        credential = default;
        if (frame.Length < LoginFixedSize || (MessageType)frame[2] != MessageType.Login) return false;
        var b = frame[BinaryProtocol.HeaderSize..];
        version = BinaryPrimitives.ReadUInt16LittleEndian(b);
        kind = (AuthKind)b[2];
        int length = BinaryPrimitives.ReadUInt16LittleEndian(b[4..]);
        if (LoginFixedSize + length != frame.Length) return false;
        credential = b.Slice(8, length);
        return true;
    }

    private static void WriteHeader(Span<byte> f, int size, MessageType type, uint sequence)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(f, (ushort)size);
        f[2] = (byte)type;
        f[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(f[4..], sequence);
    }

    private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
    private static long I64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadInt64LittleEndian(b[at..]);
    private static int I32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadInt32LittleEndian(b[at..]);
    private static void U64(Span<byte> b, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(b[at..], v);
    private static void I64(Span<byte> b, int at, long v) => BinaryPrimitives.WriteInt64LittleEndian(b[at..], v);
    private static void I32(Span<byte> b, int at, int v) => BinaryPrimitives.WriteInt32LittleEndian(b[at..], v);
}
