using System.Runtime.CompilerServices;

namespace Hft.Core.Book;

/// <summary>
/// The price levels of one side of a book, kept as a sorted array of level slots with the best price
/// at the end: the hot operations (take from the best level, add near the top, drop an emptied best level)
/// touch the end of the array and move few or no elements. Lookup by price is a binary search.
/// </summary>
public sealed class BookSide
{
    private SlotArray _sorted; // a mutable struct: kept in this object, no extra indirection on the hot path

    public BookSide(bool isBid, int capacity)
    {
        IsBid = isBid;
        _sorted = new SlotArray(capacity);
    }

    public bool IsBid { get; }

    public int LevelCount => _sorted.Count;

    public bool IsEmpty => _sorted.Count == 0;

    /// <summary>Level slot of the best price; only when not empty.</summary>
    public int Best
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _sorted.Items[_sorted.Count - 1];
    }

    /// <summary>Level slot at rank <paramref name="rank"/> from the best (0 = best).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int AtRank(int rank) => _sorted.Items[_sorted.Count - 1 - rank];

    /// <summary>True when <paramref name="a"/> is a better price than <paramref name="b"/> on this side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsBetter(long a, long b) => IsBid ? a > b : a < b;

    /// <summary>
    /// Binary search for <paramref name="price"/>. Returns the array position when found; otherwise the
    /// bitwise complement of the position where it would be inserted.
    /// </summary>
    public int Search(PriceLevel[] levels, long price)
    {
        int lo = 0, hi = _sorted.Count - 1;
        // Fast path: most activity is at or next to the best price.
        if (hi >= 0)
        {
            long best = levels[_sorted.Items[hi]].Price;
            if (best == price) return hi;
            if (IsBetter(price, best)) return ~_sorted.Count;
        }
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            long p = levels[_sorted.Items[mid]].Price;
            if (p == price) return mid;
            // ascending "goodness": worse prices first
            if (IsBetter(price, p)) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    public void InsertAt(int position, int levelSlot) => _sorted.InsertAt(position, levelSlot);

    public void RemoveAt(int position) => _sorted.RemoveAt(position);

    public void RemoveBest() => _sorted.Count--;
}
