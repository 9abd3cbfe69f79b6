namespace Hft.Core.Orders;

// Numeric values are persisted (journal, binary protocol): append only, never renumber.

public enum Side : byte
{
    Buy = 1,
    Sell = 2,
}

public enum OrderType : byte
{
    Limit = 1,
    Market = 2,

    /// <summary>Stop-market: a market order released when the last trade reaches the trigger price against the holder
    /// (a buy stop when the price rises to or through it, a sell stop when it falls).</summary>
    Stop = 3,

    /// <summary>Stop-limit: like <see cref="Stop"/>, released as a limit order at its price.</summary>
    StopLimit = 4,

    /// <summary>Take-profit (market): triggers in the holder's favour (a buy when the price falls to or through the trigger, a sell when it rises).</summary>
    TakeProfit = 5,

    /// <summary>Take-profit limit: like <see cref="TakeProfit"/>, released as a limit order at its price.</summary>
    TakeProfitLimit = 6,
}

public enum TimeInForce : byte
{
    /// <summary>Good till canceled: the remainder rests in the book.</summary>
    Gtc = 1,

    /// <summary>Immediate or cancel: trades what crosses, the remainder is canceled.</summary>
    Ioc = 2,

    /// <summary>Fill or kill: fills completely at once or does nothing.</summary>
    Fok = 3,

    /// <summary>Good till date: rests like GTC until canceled, filled, or its expire time passes (an expiry command).</summary>
    Gtd = 4,
}

/// <summary>Self-trade prevention, decided by the incoming order's mode when it meets its own account's resting order.</summary>
public enum SelfTradePrevention : byte
{
    None = 0,
    CancelTaker = 1,
    CancelMaker = 2,
    CancelBoth = 3,
}

public static class SideExtensions
{
    public static Side Opposite(this Side side) => side == Side.Buy ? Side.Sell : Side.Buy;
}
