using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Hft.MarketData;

/// <summary>
/// Encodes and decodes one feed message in <see cref="FeedLayout"/>: little-endian, fixed size per type, no allocation.
/// </summary>
public static class FeedCodec
{
    /// <summary>Writes <paramref name="m"/> at the start of <paramref name="destination"/>; returns its size, 0 when it does not fit.</summary>
    public static int Write(Span<byte> destination, in FeedMessage m)
    {
        int size = FeedLayout.SizeOf(m.Type);
        if (size == 0 || destination.Length < size) return 0;
        destination[FeedLayout.TypeOffset] = (byte)m.Type;
        destination[FeedLayout.VersionOffset] = FeedLayout.Version;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[FeedLayout.InstrumentOffset..], m.Instrument);
        BinaryPrimitives.WriteInt64LittleEndian(destination[FeedLayout.InstrumentSequenceOffset..], m.InstrumentSequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination[FeedLayout.TimestampOffset..], m.Timestamp);
        switch (m.Type)
        {
            case FeedMessageType.AddOrder:
                Put(destination, FeedLayout.OrderIdOffset, m.OrderId);
                destination[FeedLayout.AddSideOffset] = (byte)m.Side;
                Put(destination, FeedLayout.AddPriceOffset, m.Price);
                Put(destination, FeedLayout.AddQuantityOffset, m.Quantity);
                break;
            case FeedMessageType.ModifyOrder:
                Put(destination, FeedLayout.OrderIdOffset, m.OrderId);
                Put(destination, FeedLayout.ModifyPriceOffset, m.Price);
                Put(destination, FeedLayout.ModifyQuantityOffset, m.Quantity);
                break;
            case FeedMessageType.DeleteOrder:
                Put(destination, FeedLayout.OrderIdOffset, m.OrderId);
                break;
            case FeedMessageType.Trade:
                Put(destination, FeedLayout.TradeIdOffset, m.TradeId);
                Put(destination, FeedLayout.TradePriceOffset, m.Price);
                Put(destination, FeedLayout.TradeQuantityOffset, m.Quantity);
                destination[FeedLayout.TradeAggressorOffset] = (byte)m.Side;
                Put(destination, FeedLayout.TradeMakerOffset, m.MakerOrderId);
                Put(destination, FeedLayout.TradeTakerOffset, m.OrderId);
                break;
            case FeedMessageType.InstrumentStatus:
                destination[FeedLayout.StatusOffset] = (byte)m.Status;
                break;
        }
        return size;
    }

    /// <summary>
    /// Decodes the message that fills <paramref name="source"/> exactly. False for an unknown type, another layout
    /// version, or a size that is not the type's.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out FeedMessage m)
    {
        m = default;
        if (source.Length < FeedLayout.HeaderSize) return false;
        var type = (FeedMessageType)source[FeedLayout.TypeOffset];
        if (source[FeedLayout.VersionOffset] != FeedLayout.Version || FeedLayout.SizeOf(type) != source.Length) return false;
        m.Type = type;
        m.Instrument = BinaryPrimitives.ReadUInt16LittleEndian(source[FeedLayout.InstrumentOffset..]);
        m.InstrumentSequence = Get(source, FeedLayout.InstrumentSequenceOffset);
        m.Timestamp = Get(source, FeedLayout.TimestampOffset);
        switch (type)
        {
            case FeedMessageType.AddOrder:
                m.OrderId = Get(source, FeedLayout.OrderIdOffset);
                m.Side = (FeedSide)source[FeedLayout.AddSideOffset];
                m.Price = Get(source, FeedLayout.AddPriceOffset);
                m.Quantity = Get(source, FeedLayout.AddQuantityOffset);
                return m.Side is FeedSide.Buy or FeedSide.Sell;
            case FeedMessageType.ModifyOrder:
                m.OrderId = Get(source, FeedLayout.OrderIdOffset);
                m.Price = Get(source, FeedLayout.ModifyPriceOffset);
                m.Quantity = Get(source, FeedLayout.ModifyQuantityOffset);
                return true;
            case FeedMessageType.DeleteOrder:
                m.OrderId = Get(source, FeedLayout.OrderIdOffset);
                return true;
            case FeedMessageType.Trade:
                m.TradeId = Get(source, FeedLayout.TradeIdOffset);
                m.Price = Get(source, FeedLayout.TradePriceOffset);
                m.Quantity = Get(source, FeedLayout.TradeQuantityOffset);
                m.Side = (FeedSide)source[FeedLayout.TradeAggressorOffset];
                m.MakerOrderId = Get(source, FeedLayout.TradeMakerOffset);
                m.OrderId = Get(source, FeedLayout.TradeTakerOffset);
                return m.Side is FeedSide.Buy or FeedSide.Sell;
            default: // InstrumentStatus: the only other type SizeOf knows
                m.Status = (FeedTradingStatus)source[FeedLayout.StatusOffset];
                return m.Status is FeedTradingStatus.Trading or FeedTradingStatus.Halted;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Span<byte> d, int offset, long value) => BinaryPrimitives.WriteInt64LittleEndian(d[offset..], value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Get(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadInt64LittleEndian(s[offset..]);
}
