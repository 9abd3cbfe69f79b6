namespace Hft.Gateways.Fix;

/// <summary>
/// A session's events waiting to become reports, in arrival order: a ring that grows up to a bound and is then reused,
/// so a steady flow allocates nothing. Written by processing threads, read by one drainer at a time; one short lock.
/// </summary>
internal sealed class ReportQueue(int maxItems)
{
    private readonly object _gate = new();
    private ReportItem[] _ring = new ReportItem[1024];
    private int _head;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>False (nothing queued) when <c>maxItems</c> are already waiting.</summary>
    public bool TryEnqueue(in ReportItem item)
    {
        lock (_gate)
        {
            if (_count == _ring.Length)
            {
                if (_count >= maxItems) return false;
                Grow();
            }
            _ring[(_head + _count) % _ring.Length] = item;
            _count++;
            return true;
        }
    }

    /// <summary>The oldest item's journal sequence and whether there is one.</summary>
    public bool TryPeekSequence(out long sequence)
    {
        lock (_gate)
        {
            sequence = _count > 0 ? _ring[_head].Sequence : 0;
            return _count > 0;
        }
    }

    public bool TryDequeue(out ReportItem item)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                item = default;
                return false;
            }
            ref var slot = ref _ring[_head];
            item = slot;
            slot.MassCancel = null;
            _head = (_head + 1) % _ring.Length;
            _count--;
            return true;
        }
    }

    private void Grow()
    {
        var grown = new ReportItem[Math.Min(_ring.Length * 2, Math.Max(maxItems, _ring.Length))];
        for (int i = 0; i < _count; i++) grown[i] = _ring[(_head + i) % _ring.Length];
        _ring = grown;
        _head = 0;
    }
}
