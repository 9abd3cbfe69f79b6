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
}

public enum TimeInForce : byte
{
    /// <summary>Good till canceled: the remainder rests in the book.</summary>
    Gtc = 1,

    /// <summary>Immediate or cancel: trades what crosses, the remainder is canceled.</summary>
    Ioc = 2,

    /// <summary>Fill or kill: fills completely at once or does nothing.</summary>
    Fok = 3,
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
