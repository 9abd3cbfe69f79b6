namespace Hft.Core.Book;

/// <summary>All resting orders of one side at one price: a FIFO of order slots plus running totals.</summary>
public struct PriceLevel
{
    public long Price;
    public long TotalQuantity;
    public int Count;
    public int Head;
    public int Tail;

    /// <summary>Next free level while this slot is in the free list.</summary>
    public int NextFree;
}
