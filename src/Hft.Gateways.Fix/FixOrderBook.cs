using Hft.Core.Orders;

namespace Hft.Gateways.Fix;

/// <summary>
/// A session's orders by exchange order id and by every ClOrdID that named them: live ones, and the last
/// <c>retainFinished</c> finished ones (a cancel or replace that raced an order's end is still answered "too late").
/// The oldest finished order beyond that is forgotten and its instance reused for a later order, so steady order flow
/// allocates nothing here. One lock: the reader holds <see cref="Gate"/> while it uses an order it looked up (an
/// order is only recycled under it); the report thread and the processing threads take it per call.
/// </summary>
internal sealed class FixOrderBook
{
    private readonly object _gate = new();
    private readonly Dictionary<long, FixOrder> _byId = new();
    private readonly Dictionary<string, FixOrder> _byClOrdId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FixOrder>.AlternateLookup<ReadOnlySpan<char>> _byClOrdIdText;
    private readonly FixOrder[] _finished;
    private readonly Stack<FixOrder> _spare = new();
    private int _finishedHead;
    private int _finishedCount;

    public FixOrderBook(int retainFinished)
    {
        _finished = new FixOrder[Math.Max(1, retainFinished)];
        _byClOrdIdText = _byClOrdId.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public object Gate => _gate;

    /// <summary>An instance for a new order (recycled when one is spare); <see cref="TryAdd"/> or <see cref="Return"/> it.</summary>
    public FixOrder Rent()
    {
        lock (_gate) return _spare.TryPop(out var order) ? order : new FixOrder();
    }

    /// <summary>Adds a new order; false (nothing added) when its ClOrdID names another order of the session.</summary>
    public bool TryAdd(FixOrder order)
    {
        lock (_gate)
        {
            if (!_byClOrdId.TryAdd(order.ClOrdId, order)) return false;
            _byId[order.OrderId] = order;
            return true;
        }
    }

    /// <summary>An order refused before it reached the engine: forgotten, its instance spare.</summary>
    public void Remove(FixOrder order)
    {
        lock (_gate)
        {
            Forget(order);
            _spare.Push(order);
        }
    }

    /// <summary>Gives back an instance <see cref="TryAdd"/> refused.</summary>
    public void Return(FixOrder order)
    {
        lock (_gate) _spare.Push(order);
    }

    /// <summary>Whether the exchange order id is one of this session's (live or recently finished).</summary>
    public bool Contains(long orderId)
    {
        lock (_gate) return _byId.ContainsKey(orderId);
    }

    public bool TryGet(long orderId, out FixOrder order)
    {
        lock (_gate) return _byId.TryGetValue(orderId, out order!);
    }

    /// <summary>The order a ClOrdID names (its current or a former one), looked up without allocating.</summary>
    public bool TryGet(ReadOnlySpan<byte> clOrdId, out FixOrder order)
    {
        order = null!;
        if (clOrdId.Length > ClientOrderIdRule.MaxLength) return false; // never accepted, so never found
        Span<char> text = stackalloc char[clOrdId.Length];
        for (int i = 0; i < clOrdId.Length; i++) text[i] = (char)clOrdId[i];
        lock (_gate) return _byClOrdIdText.TryGetValue(text, out order!);
    }

    /// <summary>A replace took effect: the order is named <paramref name="clOrdId"/> from now on (its former names still find it).</summary>
    public void Rename(FixOrder order, string clOrdId)
    {
        lock (_gate)
        {
            order.FormerClOrdIds.Add(order.ClOrdId);
            order.ClOrdId = clOrdId;
            _byClOrdId[clOrdId] = order;
        }
    }

    /// <summary>The order finished (its last report was written): kept a while, then forgotten and reused.</summary>
    public void Finish(FixOrder order)
    {
        lock (_gate)
        {
            order.Done = true;
            if (_finishedCount == _finished.Length)
            {
                var oldest = _finished[_finishedHead];
                _finishedHead = (_finishedHead + 1) % _finished.Length;
                _finishedCount--;
                Forget(oldest);
                _spare.Push(oldest);
            }
            _finished[(_finishedHead + _finishedCount) % _finished.Length] = order;
            _finishedCount++;
        }
    }

    private void Forget(FixOrder order)
    {
        if (_byId.TryGetValue(order.OrderId, out var o) && o == order) _byId.Remove(order.OrderId);
        ForgetName(order.ClOrdId, order);
        foreach (var name in order.FormerClOrdIds) ForgetName(name, order);
    }

    private void ForgetName(string name, FixOrder order)
    {
        if (_byClOrdId.TryGetValue(name, out var o) && o == order) _byClOrdId.Remove(name);
    }
}
