namespace Hft.Core.Book;

/// <summary>
/// A growable array of slot indices with insert / remove at a position; doubles only when full. A mutable struct held
/// in a field of its owner (a book side's levels, a stop book's pending orders): use it through that field or a ref.
/// </summary>
internal struct SlotArray(int capacity)
{
    public int[] Items = PreTouch.Touch(new int[Math.Max(16, capacity)]);
    public int Count;

    public readonly int Last => Items[Count - 1];

    public int Pop() => Items[--Count];

    public void InsertAt(int position, int slot)
    {
        if (Count == Items.Length) Array.Resize(ref Items, Items.Length * 2);
        if (position < Count) Array.Copy(Items, position, Items, position + 1, Count - position);
        Items[position] = slot;
        Count++;
    }

    public void RemoveAt(int position)
    {
        Count--;
        if (position < Count) Array.Copy(Items, position + 1, Items, position, Count - position);
    }
}

/// <summary>A reusable FIFO of slot indices (the stops fired in one command, in firing order).</summary>
internal sealed class SlotQueue(int capacity)
{
    private int[] _items = PreTouch.Touch(new int[Math.Max(16, capacity)]);
    private int _head;
    private int _count;

    public bool IsEmpty => _head == _count;

    public void Enqueue(int slot)
    {
        if (_count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[_count++] = slot;
    }

    public int Dequeue()
    {
        int slot = _items[_head++];
        if (_head == _count) _head = _count = 0;
        return slot;
    }
}
