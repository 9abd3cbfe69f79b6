namespace Hft.MarketData;

/// <summary>
/// One feed message, decoded (or to encode). Which fields mean something depends on <see cref="Type"/>:
/// <list type="bullet">
/// <item>AddOrder: OrderId, Side, Price, Quantity.</item>
/// <item>ModifyOrder: OrderId, Price, Quantity (the new remaining; a new price loses the order's time priority).</item>
/// <item>DeleteOrder: OrderId.</item>
/// <item>Trade: TradeId, Price, Quantity, Side (the aggressor's), MakerOrderId, OrderId (the taker's).</item>
/// <item>InstrumentStatus: Status.</item>
/// </list>
/// Prices and quantities are the instrument's ticks and lots (docs/protocol/marketdata.md, "Scale").
/// </summary>
public struct FeedMessage
{
    public FeedMessageType Type;
    public ushort Instrument;

    /// <summary>The instrument's own message count: consecutive per instrument, from 1.</summary>
    public long InstrumentSequence;

    /// <summary>When the publisher encoded it: Unix time in nanoseconds.</summary>
    public long Timestamp;

    public long OrderId;
    public FeedSide Side;
    public long Price;
    public long Quantity;
    public long TradeId;
    public long MakerOrderId;
    public FeedTradingStatus Status;

    public static FeedMessage AddOrder(ushort instrument, long orderId, FeedSide side, long price, long quantity)
        => new() { Type = FeedMessageType.AddOrder, Instrument = instrument, OrderId = orderId, Side = side, Price = price, Quantity = quantity };

    public static FeedMessage ModifyOrder(ushort instrument, long orderId, long price, long quantity)
        => new() { Type = FeedMessageType.ModifyOrder, Instrument = instrument, OrderId = orderId, Price = price, Quantity = quantity };

    public static FeedMessage DeleteOrder(ushort instrument, long orderId)
        => new() { Type = FeedMessageType.DeleteOrder, Instrument = instrument, OrderId = orderId };

    public static FeedMessage Trade(ushort instrument, long tradeId, long price, long quantity, FeedSide aggressor, long makerOrderId, long takerOrderId)
        => new()
        {
            Type = FeedMessageType.Trade, Instrument = instrument, TradeId = tradeId, Price = price, Quantity = quantity, Side = aggressor,
            MakerOrderId = makerOrderId, OrderId = takerOrderId,
        };

    public static FeedMessage InstrumentStatus(ushort instrument, FeedTradingStatus status)
        => new() { Type = FeedMessageType.InstrumentStatus, Instrument = instrument, Status = status };

    public override readonly string ToString() => Type switch
    {
        FeedMessageType.AddOrder => $"add #{Instrument}/{InstrumentSequence} id={OrderId} {Side} {Quantity}@{Price}",
        FeedMessageType.ModifyOrder => $"modify #{Instrument}/{InstrumentSequence} id={OrderId} {Quantity}@{Price}",
        FeedMessageType.DeleteOrder => $"delete #{Instrument}/{InstrumentSequence} id={OrderId}",
        FeedMessageType.Trade => $"trade #{Instrument}/{InstrumentSequence} {TradeId} {Quantity}@{Price} aggressor={Side} maker={MakerOrderId} taker={OrderId}",
        FeedMessageType.InstrumentStatus => $"status #{Instrument}/{InstrumentSequence} {Status}",
        _ => $"type {(byte)Type}",
    };
}
