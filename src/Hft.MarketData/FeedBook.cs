namespace Hft.MarketData;

/// <summary>A resting order as the feed shows it.</summary>
public readonly record struct FeedOrder(long OrderId, ushort Instrument, FeedSide Side, long Price, long Quantity);

/// <summary>One price level: total quantity and number of orders.</summary>
public readonly record struct FeedLevel(long Price, long Quantity, int Orders);

/// <summary>
/// Every instrument's resting orders and trading status as the feed's messages build them - the one rule for applying a
/// message, used by the publisher (what a snapshot shows) and by the client library (the rebuilt book). Not thread-safe.
/// </summary>
public sealed class FeedBook
{
    private readonly Dictionary<long, FeedOrder> _orders = new();
    private readonly Dictionary<ushort, (FeedTradingStatus Status, long Sequence)> _instruments = new();

    /// <summary>Resting orders of every instrument.</summary>
    public int OrderCount => _orders.Count;

    /// <summary>Messages whose order was not in the book (modify or delete of an unknown id, add of a known one): a gap the receiver missed.</summary>
    public long Inconsistencies { get; private set; }

    /// <summary>Applies one message; false (and counted) when it contradicts the book.</summary>
    public bool Apply(in FeedMessage m)
    {
        var known = _instruments.GetValueOrDefault(m.Instrument);
        _instruments[m.Instrument] = (m.Type == FeedMessageType.InstrumentStatus ? m.Status : known.Status, Math.Max(known.Sequence, m.InstrumentSequence));
        bool ok = m.Type switch
        {
            FeedMessageType.AddOrder => _orders.TryAdd(m.OrderId, new FeedOrder(m.OrderId, m.Instrument, m.Side, m.Price, m.Quantity)),
            FeedMessageType.ModifyOrder => Modify(m.OrderId, m.Price, m.Quantity),
            FeedMessageType.DeleteOrder => _orders.Remove(m.OrderId),
            _ => true,
        };
        if (!ok) Inconsistencies++;
        return ok;
    }

    private bool Modify(long id, long price, long quantity)
    {
        if (!_orders.TryGetValue(id, out var o)) return false;
        _orders[id] = o with { Price = price, Quantity = quantity };
        return true;
    }

    public bool TryGetOrder(long id, out FeedOrder order) => _orders.TryGetValue(id, out order);

    /// <summary>The instrument's status (default: trading until told otherwise).</summary>
    public FeedTradingStatus Status(ushort instrument) => _instruments.TryGetValue(instrument, out var s) && s.Status != 0 ? s.Status : FeedTradingStatus.Trading;

    /// <summary>The instrument sequence of the last message applied for the instrument (0: none).</summary>
    public long InstrumentSequence(ushort instrument) => _instruments.GetValueOrDefault(instrument).Sequence;

    /// <summary>Instruments the book has heard of, ascending.</summary>
    public List<ushort> Instruments()
    {
        var list = new List<ushort>(_instruments.Keys);
        list.Sort();
        return list;
    }

    /// <summary>The instrument's resting orders of <paramref name="side"/>, best price first, then by order id.</summary>
    public List<FeedOrder> Orders(ushort instrument, FeedSide side)
    {
        var list = new List<FeedOrder>();
        foreach (var o in _orders.Values)
            if (o.Instrument == instrument && o.Side == side) list.Add(o);
        list.Sort((a, b) => a.Price != b.Price ? (side == FeedSide.Buy ? b.Price.CompareTo(a.Price) : a.Price.CompareTo(b.Price)) : a.OrderId.CompareTo(b.OrderId));
        return list;
    }

    /// <summary>The instrument's levels of <paramref name="side"/>, best first.</summary>
    public List<FeedLevel> Levels(ushort instrument, FeedSide side)
    {
        var levels = new List<FeedLevel>();
        foreach (var o in Orders(instrument, side))
        {
            if (levels.Count > 0 && levels[^1].Price == o.Price) levels[^1] = levels[^1] with { Quantity = levels[^1].Quantity + o.Quantity, Orders = levels[^1].Orders + 1 };
            else levels.Add(new FeedLevel(o.Price, o.Quantity, 1));
        }
        return levels;
    }

    /// <summary>Forgets everything (before a snapshot is applied).</summary>
    public void Clear()
    {
        _orders.Clear();
        _instruments.Clear();
    }

    /// <summary>Every resting order of every instrument (unordered).</summary>
    public Dictionary<long, FeedOrder>.ValueCollection AllOrders => _orders.Values;
}
