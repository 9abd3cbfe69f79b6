using Hft.Core.Book;
using Hft.Core.Numerics;
using Hft.Core.Orders;
using Hft.Risk;

namespace Hft.Journal;

/// <summary>
/// The whole trading state at one journal sequence, as a snapshot holds it: everything <see cref="StateHash"/> covers
/// plus what a server needs to go on (the next order id, and per resting order what its clients see of it).
/// Only live orders are kept: the ids of finished orders are not (the server assigns increasing ids, so an id can
/// never come back, and the journal after the snapshot never names a finished order as live).
/// </summary>
public sealed class SnapshotData
{
    /// <summary>The journal sequence the snapshot covers: every record up to and including it is in the state.</summary>
    public long Sequence { get; init; }

    /// <summary>The order id counter (the last id handed out); ids after it are free.</summary>
    public long NextOrderId { get; init; }

    public long CreatedUnixMs { get; init; }

    public List<SnapshotInstrument> Instruments { get; init; } = [];

    public List<SnapshotAccount> Accounts { get; init; } = [];

    /// <summary>
    /// Live orders per instrument (index order): resting bids then asks, each side in priority (queue) order, then the
    /// pending stops that fire on a rising price, then those on a falling price, each in firing order.
    /// </summary>
    public List<SnapshotOrder> Orders { get; init; } = [];
}

/// <summary>Risk state of an instrument: band, mark, last trade, halt. The symbol checks that indices still match.</summary>
/// <param name="Halted">Halted by an operator (or not enabled in the configuration).</param>
/// <param name="FeedHalted">Halted by the reference price feed (stale prices).</param>
/// <param name="BandWidenPpm">Band widening by the reference price feed, in millionths (0 = none).</param>
public readonly record struct SnapshotInstrument(int Index, string Symbol, Amount? BandPct, long Mark, long LastTrade, bool Halted,
    bool FeedHalted = false, long BandWidenPpm = 0);

/// <summary>An account's risk state. Open totals are recorded to be checked: restore rebuilds them from the orders.</summary>
public sealed class SnapshotAccount
{
    public int Id { get; init; }

    public string Name { get; init; } = "";

    public bool Declared { get; init; }

    public bool Enabled { get; init; }

    public AccountLimits Limits { get; init; } = AccountLimits.Unlimited;

    public int OpenOrders { get; init; }

    public int SaturatedOpenOrders { get; init; }

    public Amount OpenNotional { get; init; }

    public List<(int Instrument, PositionState Position)> Positions { get; init; } = [];
}

/// <summary>
/// One live order: what the book needs (id, account, side, price, remaining, post-only, STP), what its clients saw of
/// it (original quantity, filled, creation time, client order id) and, for the newer order types, its
/// <paramref name="Flags"/> (iceberg, pending stop, good till date) with the <paramref name="Terms"/> that go with them
/// and the price risk reserved it at (<paramref name="ReservedPrice"/>, 0 = its price).
/// For an iceberg <paramref name="Remaining"/> is the displayed slice; <see cref="OrderTerms.Hidden"/> is the reserve.
/// </summary>
public readonly record struct SnapshotOrder(int Instrument, long Id, int Account, Side Side, long Price, long Remaining, bool PostOnly,
    SelfTradePrevention Stp, long Quantity, long Filled, long CreatedMicros, string? ClientOrderId, OrderFlags Flags = OrderFlags.None,
    OrderTerms Terms = default, long ReservedPrice = 0)
{
    /// <summary>What risk holds open for it: the displayed slice plus an iceberg's hidden reserve.</summary>
    public long OpenQuantity => Remaining + Terms.Hidden;

    /// <summary>The price risk reserved it at.</summary>
    public long RiskPrice => ReservedPrice != 0 ? ReservedPrice : Price;
}

/// <summary>What a server knows of a resting order beyond the book (for <see cref="SnapshotOrder"/>).</summary>
public readonly record struct SnapshotOrderInfo(long Quantity, long Filled, long CreatedMicros, string? ClientOrderId);
