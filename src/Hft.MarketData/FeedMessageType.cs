namespace Hft.MarketData;

/// <summary>
/// Message type codes of the binary market-data feed (docs/protocol/marketdata.md). On the wire: append only, never
/// renumber or reuse (pinned by FeedCodeStabilityTests).
/// </summary>
public enum FeedMessageType : byte
{
    /// <summary>An order rests in the book: id, side, price, quantity.</summary>
    AddOrder = (byte)'A',

    /// <summary>A resting order's quantity (partial fill, quantity change) or price (replace: it goes to the back) changed.</summary>
    ModifyOrder = (byte)'U',

    /// <summary>A resting order left the book: filled, canceled or expired.</summary>
    DeleteOrder = (byte)'D',

    /// <summary>A trade: id, price, quantity, aggressor side, maker and taker order ids.</summary>
    Trade = (byte)'T',

    /// <summary>The instrument's trading status (trading, halted); sent at start and on every change.</summary>
    InstrumentStatus = (byte)'S',
}

/// <summary>Side of an order or of a trade's aggressor on the wire.</summary>
public enum FeedSide : byte
{
    Buy = 1,
    Sell = 2,
}

/// <summary>An instrument's trading status on the wire: halted, or trading (a status after halted means resumed).</summary>
public enum FeedTradingStatus : byte
{
    Trading = 1,
    Halted = 2,
}
