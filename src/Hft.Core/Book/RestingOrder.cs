using Hft.Core.Orders;

namespace Hft.Core.Book;

/// <summary>
/// A live order: one slot of <see cref="OrderStore"/>. Orders at a price level form an
/// intrusive doubly linked FIFO through <see cref="Prev"/>/<see cref="Next"/> (slot indices, -1 = none).
/// A pending stop has <see cref="OrderFlags.Pending"/> and no level. For an iceberg, <see cref="Remaining"/> is the
/// displayed slice; the hidden reserve and the rarely read terms live beside it in <see cref="OrderTerms"/>.
/// Kept at 64 bytes: one cache line.
/// </summary>
public struct RestingOrder
{
    public long Id;
    public long Price;
    public long Remaining;

    /// <summary>Arrival sequence: increases with every entry into the book; FIFO order within a level.</summary>
    public long Sequence;

    public int Account;
    public int Instrument;
    public int Level;
    public int Prev;
    public int Next;

    /// <summary>Links of the account's list of live orders (slot indices, -1 = none): O(own orders) mass cancel.</summary>
    public int AccountPrev;
    public int AccountNext;
    public Side Side;
    public SelfTradePrevention Stp;
    public bool PostOnly;
    public OrderFlags Flags;
}

[Flags]
public enum OrderFlags : byte
{
    None = 0,

    /// <summary>Shows a slice (<see cref="OrderTerms.DisplayQuantity"/>) and keeps a hidden reserve.</summary>
    Iceberg = 1,

    /// <summary>A stop / take-profit waiting for its trigger: off-book, in its instrument's <see cref="StopBook"/>.</summary>
    Pending = 2,

    /// <summary>Good till date: expires at <see cref="OrderTerms.ExpireTime"/>.</summary>
    Expires = 4,
}
