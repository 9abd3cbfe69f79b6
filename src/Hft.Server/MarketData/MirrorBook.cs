using Hft.Core.Book;
using Hft.Core.Orders;

namespace Hft.Server.MarketData;

/// <summary>
/// The publisher's copy of one instrument's L2 book, rebuilt from the events (orders by id with side, price and
/// remaining; levels per side). Records which levels changed since the last <see cref="TakeChanges"/> (with the state
/// each had then, so a level that ends as it was - one a crossing replace entered and its trades emptied - is no
/// change), and which orders were added, modified or deleted since the last <see cref="TakeOrderChanges"/> (the level3 feed).
/// </summary>
internal sealed class MirrorBook
{
    private readonly Dictionary<long, (Side Side, long Price, long Remaining)> _orders = new();
    private readonly SortedDictionary<long, (long Qty, int Count)> _bids = new(Comparer<long>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<long, (long Qty, int Count)> _asks = new();
    private readonly Dictionary<(Side, long), (long Qty, int Count)> _changed = new(); // level → its state at the last TakeChanges
    private readonly List<OrderChange> _orderChanges = new();
    private readonly Dictionary<long, (int Index, long Price)> _replaced = new(); // replaced since the last TakeOrderChanges: its modify's index, its price before

    /// <summary>False until seeded (and again after events were lost, until reseeded).</summary>
    public bool Ready { get; private set; }

    /// <summary>Sequence of the last level2 message (snapshot or update).</summary>
    public long Sequence { get; set; }

    /// <summary>Sequence of the last level3 message (snapshot or update).</summary>
    public long Level3Sequence { get; set; }

    public bool HasChanges => _changed.Count > 0;

    public bool HasOrderChanges => _orderChanges.Count > 0;

    public SortedDictionary<long, (long Qty, int Count)> Levels(Side side) => side == Side.Buy ? _bids : _asks;

    public void Invalidate()
    {
        Ready = false;
        _orders.Clear();
        _bids.Clear();
        _asks.Clear();
        _changed.Clear();
        _orderChanges.Clear();
        _replaced.Clear();
    }

    public void Seed(OrderView[] orders)
    {
        Invalidate();
        foreach (var o in orders) Add(o.OrderId, o.Side, o.Price, o.Remaining);
        _changed.Clear();
        _orderChanges.Clear();
        _replaced.Clear();
        Ready = true;
    }

    public void Add(long id, Side side, long price, long remaining)
    {
        if (remaining <= 0 || !_orders.TryAdd(id, (side, price, remaining))) return;
        Change(side, price, remaining, +1);
        _orderChanges.Add(new OrderChange(OrderAction.Add, id, side, price, remaining));
    }

    /// <summary>Sets an order's remaining quantity (0 removes it); unknown ids are ignored.</summary>
    public void SetRemaining(long id, long remaining)
    {
        if (!_orders.TryGetValue(id, out var o)) return;
        if (remaining <= 0)
        {
            _orders.Remove(id);
            Change(o.Side, o.Price, -o.Remaining, -1);
            long from = o.Price;
            if (_replaced.Remove(id, out var replace))
            {
                // replaced and gone in one command (it crossed and filled completely): level3 never saw it at its new
                // price, so its modify and what followed are dropped and it leaves from where it was
                from = replace.Price;
                for (int i = _orderChanges.Count - 1; i >= replace.Index; i--)
                    if (_orderChanges[i].Id == id) _orderChanges.RemoveAt(i);
            }
            _orderChanges.Add(new OrderChange(OrderAction.Delete, id, o.Side, from, 0));
            return;
        }
        _orders[id] = (o.Side, o.Price, remaining);
        Change(o.Side, o.Price, remaining - o.Remaining, 0);
        _orderChanges.Add(new OrderChange(OrderAction.Modify, id, o.Side, o.Price, remaining));
    }

    public void Replace(long id, long price, long remaining)
    {
        if (!_orders.TryGetValue(id, out var o)) return;
        int mark = _orderChanges.Count;
        SetRemaining(id, 0);
        Add(id, o.Side, price, remaining);
        // level3 sees one modify (new price and qty), not the delete and add the levels needed
        _orderChanges.RemoveRange(mark, _orderChanges.Count - mark);
        _orderChanges.Add(new OrderChange(remaining > 0 ? OrderAction.Modify : OrderAction.Delete, id, o.Side, price, remaining));
        // one replace per command, and order changes are taken after each command: indexes stay valid until then
        if (remaining > 0) _replaced.TryAdd(id, (mark, o.Price));
    }

    /// <summary>The order changes since the last call, in the order they happened.</summary>
    public List<OrderChange> TakeOrderChanges()
    {
        var list = new List<OrderChange>(_orderChanges);
        _orderChanges.Clear();
        _replaced.Clear();
        return list;
    }

    /// <summary>The resting orders, best price first per side, then by order id (arrival order unless replaced).</summary>
    public List<OrderChange> Orders()
    {
        var list = new List<OrderChange>(_orders.Count);
        foreach (var (id, o) in _orders) list.Add(new OrderChange(OrderAction.Add, id, o.Side, o.Price, o.Remaining));
        list.Sort((a, b) => a.Side != b.Side ? a.Side.CompareTo(b.Side)
            : a.Price != b.Price ? (a.Side == Side.Buy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price))
            : a.Id.CompareTo(b.Id));
        return list;
    }

    /// <summary>Current (qty, count) of a level (0, 0 when empty).</summary>
    public (long Qty, int Count) Level(Side side, long price) => Levels(side).GetValueOrDefault(price);

    private void Change(Side side, long price, long qty, int count)
    {
        var levels = Levels(side);
        var before = levels.GetValueOrDefault(price);
        _changed.TryAdd((side, price), before);
        var l = (Qty: before.Qty + qty, Count: before.Count + count);
        if (l.Count <= 0 || l.Qty <= 0) levels.Remove(price);
        else levels[price] = l;
    }

    /// <summary>
    /// The levels whose (qty, count) differ from what they were at the last call, with their current values; qty 0 =
    /// gone. A level that was empty then and is empty again (never shown) is not listed, nor one that came back to the
    /// same quantity and count.
    /// </summary>
    public List<LevelChange> TakeChanges()
    {
        var list = new List<LevelChange>(_changed.Count);
        foreach (var ((side, price), before) in _changed)
        {
            var l = Levels(side).GetValueOrDefault(price);
            if (l != before) list.Add(new LevelChange(side, price, l.Qty, l.Count, before));
        }
        _changed.Clear();
        list.Sort((a, b) => a.Side != b.Side ? a.Side.CompareTo(b.Side) : a.Side == Side.Buy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price));
        return list;
    }

    public (long Price, long Qty)? Best(Side side)
    {
        foreach (var kv in Levels(side)) return (kv.Key, kv.Value.Qty);
        return null;
    }
}

/// <summary>A level2 change: the level's current (qty, count) - qty 0 = gone - and what it was before (<see cref="Before"/>).</summary>
internal readonly record struct LevelChange(Side Side, long Price, long Qty, int Count, (long Qty, int Count) Before);

internal enum OrderAction : byte { Add, Modify, Delete }

/// <summary>A level3 change: an order added, its remaining (or price, on replace) modified, or deleted.</summary>
internal readonly record struct OrderChange(OrderAction Action, long Id, Side Side, long Price, long Qty);
