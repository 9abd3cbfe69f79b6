namespace Hft.Core.Book;

/// <summary>
/// Good-till-date orders by expire time: a binary min-heap of (expire time, order id), earliest first, ties by id.
/// An entry is not removed when its order leaves early (cancel, fill); it is dropped when it comes due and the id is
/// no longer live. Ids are never reused and an order's expire time never changes, so a live id is still that order.
/// </summary>
internal sealed class ExpiryQueue(int capacity)
{
    private (long Time, long Id)[] _heap = PreTouch.Touch(new (long, long)[Math.Max(16, capacity)]);
    private int _count;

    public int Count => _count;

    /// <summary>The earliest expire time, or long.MaxValue when empty.</summary>
    public long Next => _count > 0 ? _heap[0].Time : long.MaxValue;

    public void Add(long time, long id)
    {
        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        int i = _count++;
        var item = (time, id);
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Earlier(item, _heap[parent])) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = item;
    }

    /// <summary>Takes the earliest entry when it is due at <paramref name="now"/>.</summary>
    public bool TryTakeDue(long now, out long id)
    {
        if (_count == 0 || _heap[0].Time > now) { id = 0; return false; }
        id = _heap[0].Id;
        var last = _heap[--_count];
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && Earlier(_heap[child + 1], _heap[child])) child++;
            if (!Earlier(_heap[child], last)) break;
            _heap[i] = _heap[child];
            i = child;
        }
        if (_count > 0) _heap[i] = last;
        return true;
    }

    private static bool Earlier((long Time, long Id) a, (long Time, long Id) b) => a.Time < b.Time || (a.Time == b.Time && a.Id < b.Id);
}
