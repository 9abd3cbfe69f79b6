namespace Hft.MarketData;

/// <summary>
/// Offsets and sizes of the feed's fixed little-endian layout, in one place (docs/protocol/marketdata.md has the table).
/// Every message starts with the same 20-byte header: type, layout version, instrument, the instrument's sequence and the
/// publish time.
/// </summary>
public static class FeedLayout
{
    /// <summary>The layout version every message carries; a decoder refuses messages of another version.</summary>
    public const byte Version = 1;

    // ---- message header ----
    public const int TypeOffset = 0;
    public const int VersionOffset = 1;
    public const int InstrumentOffset = 2;
    public const int InstrumentSequenceOffset = 4;
    public const int TimestampOffset = 12;
    public const int HeaderSize = 20;

    // ---- bodies (offsets from the start of the message) ----
    public const int OrderIdOffset = 20;
    public const int AddSideOffset = 28;
    public const int AddPriceOffset = 29;
    public const int AddQuantityOffset = 37;
    public const int ModifyPriceOffset = 28;
    public const int ModifyQuantityOffset = 36;
    public const int TradeIdOffset = 20;
    public const int TradePriceOffset = 28;
    public const int TradeQuantityOffset = 36;
    public const int TradeAggressorOffset = 44;
    public const int TradeMakerOffset = 45;
    public const int TradeTakerOffset = 53;
    public const int StatusOffset = 20;

    public const int AddOrderSize = 45;
    public const int ModifyOrderSize = 44;
    public const int DeleteOrderSize = 28;
    public const int TradeSize = 61;
    public const int InstrumentStatusSize = 21;

    /// <summary>The longest message: the slot size of the retransmission ring.</summary>
    public const int MaxMessageSize = TradeSize;

    /// <summary>The size of a message of <paramref name="type"/>; 0 for an unknown type.</summary>
    public static int SizeOf(FeedMessageType type) => type switch
    {
        FeedMessageType.AddOrder => AddOrderSize,
        FeedMessageType.ModifyOrder => ModifyOrderSize,
        FeedMessageType.DeleteOrder => DeleteOrderSize,
        FeedMessageType.Trade => TradeSize,
        FeedMessageType.InstrumentStatus => InstrumentStatusSize,
        _ => 0,
    };
}
