using Hft.Core.Matching;
using Hft.Core.Numerics;

namespace Hft.Cli.Replay;

public enum ReplayLineKind : byte
{
    /// <summary>Blank line: nothing to do.</summary>
    Empty = 0,

    /// <summary>An instrument was defined (already added to the registry).</summary>
    Instrument = 1,

    /// <summary>An order command for the engine.</summary>
    Command = 2,

    /// <summary>An account declaration or limit change (<see cref="ReplayLine.Account"/>).</summary>
    Account = 3,

    /// <summary>A mark price for an instrument (<see cref="ReplayLine.Price"/>).</summary>
    Mark = 4,

    /// <summary>Trading in an instrument halted.</summary>
    Halt = 5,

    /// <summary>Trading in an instrument resumed.</summary>
    Resume = 6,

    /// <summary>Only the replay clock moves (<see cref="ReplayLine.Time"/>).</summary>
    Time = 7,
}

/// <summary>What one parsed line asks for.</summary>
public struct ReplayLine
{
    public ReplayLineKind Kind;

    /// <summary>
    /// The time the line gave (Unix nanoseconds), 0 when none: the replay clock moves there before the line runs, and the
    /// good-till-date orders due by then expire first, as the server's expiry timer would have done.
    /// </summary>
    public long Time;
    public int InstrumentIndex;
    public OrderCommand Command;

    /// <summary>Mark price in ticks.</summary>
    public long Price;

    /// <summary>Instrument price band in percent, when the instrument command gave one.</summary>
    public Amount? PriceBandPct;

    public AccountUpdate Account;
}

/// <summary>
/// The fields an account command gave. A field not given leaves the account's setting as it was;
/// a limit given as null removes it (unlimited).
/// </summary>
public struct AccountUpdate
{
    public int AccountId;
    public bool? Enabled;
    public Optional<Amount?> Credit;
    public Optional<Amount?> MaxOrderQty;
    public Optional<Amount?> MaxOrderNotional;
    public Optional<Amount?> MaxPosition;
    public Optional<int?> MaxOpenOrders;
    public Optional<Amount> MakerFeeBps;
    public Optional<Amount> TakerFeeBps;
}

/// <summary>A value that may have been given or not.</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public T Or(T fallback) => IsSet ? Value : fallback;
}
