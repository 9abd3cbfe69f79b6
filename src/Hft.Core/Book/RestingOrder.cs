using Hft.Core.Orders;

namespace Hft.Core.Book;

/// <summary>
/// A live order in the book: one slot of <see cref="OrderStore"/>. Orders at a price level form an
/// intrusive doubly linked FIFO through <see cref="Prev"/>/<see cref="Next"/> (slot indices, -1 = none).
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
}
