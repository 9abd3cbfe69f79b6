using System.Runtime.CompilerServices;
using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Orders;

namespace Hft.Core.Matching;

/// <summary>
/// The matching stage: price-time priority books for a set of instruments, fed one <see cref="OrderCommand"/>
/// at a time by a single thread. Deterministic (same commands in, same events out), no I/O, no locks,
/// no allocation in steady state. Every command's events are returned as a span valid until the next call.
/// Beside each book it keeps the instrument's pending stops (<see cref="StopBook"/>) and, for the whole engine, the
/// good-till-date orders by expire time.
/// </summary>
public sealed partial class MatchingEngine
{
    private readonly OrderStore _orders;
    private readonly OrderIdIndex _ids;
    private readonly EventBuffer _events;
    private readonly EngineOptions _options;
    private readonly SlotQueue _fired;
    private readonly ExpiryQueue _expiries;
    private OrderBook?[] _books = new OrderBook?[8];
    private StopBook?[] _stops = new StopBook?[8];
    private long _sequence;
    private int[] _accountHead;
    private int[] _accountTail;
    private EngineCounters _counters;

    public MatchingEngine(EngineOptions? options = null)
    {
        _options = options ?? new EngineOptions();
        _orders = new OrderStore(_options.OrderCapacity);
        _ids = new OrderIdIndex(_options.OrderIdCapacity);
        _events = new EventBuffer(_options.EventCapacity);
        _fired = new SlotQueue(_options.StopCapacity);
        _expiries = new ExpiryQueue(_options.StopCapacity);
        _accountHead = new int[Math.Max(1, _options.AccountCapacity)];
        _accountTail = new int[_accountHead.Length];
        Array.Fill(_accountHead, -1);
        Array.Fill(_accountTail, -1);
    }

    public ref readonly EngineCounters Counters => ref _counters;

    public OrderStore Orders => _orders;

    internal OrderIdIndex Ids => _ids;

    /// <summary>The slot of a live order (resting or pending) in <see cref="Orders"/>; negative when the id is not live.</summary>
    public int SlotOf(long id) => _ids.Find(id);

    /// <summary>Adds the book of an instrument (set-up, not hot path). Adding the same instrument twice is a no-op.</summary>
    public OrderBook AddInstrument(Instrument instrument)
    {
        if (instrument.Index >= _books.Length)
        {
            int size = Math.Max(_books.Length * 2, instrument.Index + 1);
            Array.Resize(ref _books, size);
            Array.Resize(ref _stops, size);
        }
        _stops[instrument.Index] ??= new StopBook(_orders, _options.StopCapacity);
        return _books[instrument.Index] ??= new OrderBook(instrument, _orders, _options.LevelCapacity);
    }

    /// <summary>The book of an instrument index, or null when this engine does not trade it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public OrderBook? Book(int instrument)
        => (uint)instrument < (uint)_books.Length ? _books[instrument] : null;

    /// <summary>The pending stops and last trade of an instrument, or null when this engine does not trade it.</summary>
    public StopBook? Stops(int instrument)
        => (uint)instrument < (uint)_stops.Length ? _stops[instrument] : null;

    /// <summary>The earliest expire time of a good-till-date order that may still be live; long.MaxValue when none.</summary>
    public long NextExpiry => _expiries.Next;

    /// <summary>All books of this engine, in instrument index order.</summary>
    public IEnumerable<OrderBook> Books
    {
        get
        {
            foreach (var b in _books)
                if (b is not null) yield return b;
        }
    }

    /// <summary>Runs one command and returns its events (valid until the next call).</summary>
    public ReadOnlySpan<EngineEvent> Process(scoped in OrderCommand cmd)
    {
        _events.Clear();
        _counters.Commands++;
        switch (cmd.Op)
        {
            case CommandOp.New: New(in cmd); break;
            case CommandOp.Cancel: Cancel(in cmd); break;
            case CommandOp.Replace: Replace(in cmd); break;
            case CommandOp.MassCancel: MassCancel(in cmd); break;
            case CommandOp.Expire: Expire(in cmd); break;
            default: Reject(in cmd, RejectReason.InvalidOrderType); break;
        }
        return _events.Span;
    }

    /// <summary>The live order with this id, if any (for risk and queries): its total remaining, displayed and hidden.</summary>
    public bool TryGetOrder(long id, out OrderView order)
    {
        int slot = _ids.Find(id);
        if (slot < 0)
        {
            order = default;
            return false;
        }
        ref var o = ref _orders[slot];
        order = new OrderView(o.Id, o.Account, o.Side, ShownPrice(slot), _orders.TotalRemaining(slot));
        return true;
    }

    // ---- commands ----

    private void New(in OrderCommand cmd)
    {
        var reason = Validate(in cmd);
        if (reason != RejectReason.None) { Reject(in cmd, reason); return; }
        var book = _books[cmd.Instrument]!;
        bool market = !cmd.Type.HasLimitPrice();

        _ids.Add(cmd.OrderId, OrderIdIndex.Dead);
        _counters.Accepted++;
        _counters.EnteredQuantity += cmd.Quantity;
        ref var ev = ref _events.Add(EventKind.Accepted);
        ev.Op = CommandOp.New;
        ev.OrderId = cmd.OrderId;
        ev.Account = cmd.Account;
        ev.Instrument = cmd.Instrument;
        ev.Side = cmd.Side;
        ev.Price = market ? 0 : cmd.Price;
        ev.Quantity = cmd.Quantity;
        if (cmd.Tif == TimeInForce.Gtd) _expiries.Add(cmd.ExpireTime, cmd.OrderId);

        if (cmd.Type.IsTriggered())
        {
            Park(cmd.Instrument, in cmd);
            return;
        }
        var entry = new Entry
        {
            Id = cmd.OrderId, Account = cmd.Account, Side = cmd.Side, Quantity = cmd.Quantity, Market = market,
            // A market order trades at any price unless risk gave it a protection limit (price band).
            Limit = !market || cmd.HasPrice ? cmd.Price : AnyPrice(cmd.Side),
            Tif = market ? cmd.Tif.ForMarket() : cmd.Tif,
            PostOnly = cmd.PostOnly, Stp = cmd.Stp, DisplayQuantity = cmd.DisplayQuantity, ExpireTime = cmd.ExpireTime,
        };
        int firstEvent = _events.Count;
        Execute(book, in entry);
        FireStops(book, firstEvent);
    }

    private void Cancel(in OrderCommand cmd)
    {
        var reason = Validate(in cmd);
        if (reason != RejectReason.None) { Reject(in cmd, reason); return; }
        int slot = FindOwned(in cmd);
        EmitCanceled(slot, CancelReason.User);
        Remove(_books[cmd.Instrument]!, slot);
    }

    /// <summary>
    /// Replace of a resting order: the same price and a quantity not above the total remaining amend in place and keep
    /// time priority (an iceberg's displayed slice shrinks only when the new total is below it); any other change leaves
    /// the book and re-enters with the same flags, display quantity (capped at the new quantity) and expire time.
    /// A pending stop is replaced by <see cref="ReplaceStop"/>.
    /// </summary>
    private void Replace(in OrderCommand cmd)
    {
        var reason = Validate(in cmd);
        if (reason != RejectReason.None) { Reject(in cmd, reason); return; }
        var book = _books[cmd.Instrument]!;
        int slot = FindOwned(in cmd);
        ref var o = ref _orders[slot];
        if ((o.Flags & OrderFlags.Pending) != 0)
        {
            ReplaceStop(slot, in cmd);
            return;
        }
        ref var terms = ref _orders.Terms(slot);
        long price = cmd.HasPrice ? cmd.Price : o.Price;
        long total = _orders.TotalRemaining(slot);

        if (price == o.Price && cmd.Quantity <= total)
        {
            _counters.WithdrawnQuantity += total - cmd.Quantity;
            long visible = Math.Min(cmd.Quantity, o.Remaining);
            terms.Hidden = cmd.Quantity - visible;
            book.Reduce(slot, o.Remaining - visible);
            EmitReplaced(slot, cmd.Quantity);
            return;
        }

        var entry = new Entry
        {
            Id = o.Id, Account = o.Account, Side = o.Side, Limit = price, Quantity = cmd.Quantity,
            Tif = (o.Flags & OrderFlags.Expires) != 0 ? TimeInForce.Gtd : TimeInForce.Gtc,
            PostOnly = o.PostOnly, Stp = o.Stp, DisplayQuantity = Math.Min(terms.DisplayQuantity, cmd.Quantity),
            ExpireTime = terms.ExpireTime,
        };
        _counters.WithdrawnQuantity += total;
        Remove(book, slot);

        _counters.EnteredQuantity += cmd.Quantity;
        ref var ev = ref _events.Add(EventKind.Replaced);
        ev.Op = CommandOp.Replace;
        ev.OrderId = entry.Id;
        ev.Account = entry.Account;
        ev.Instrument = cmd.Instrument;
        ev.Side = entry.Side;
        ev.Price = price;
        ev.Quantity = cmd.Quantity;
        int firstEvent = _events.Count;
        Execute(book, in entry);
        FireStops(book, firstEvent);
    }

    /// <summary>Cancels the account's live orders, resting and pending, in the order they entered (its order list).</summary>
    private void MassCancel(in OrderCommand cmd)
    {
        if ((uint)cmd.Account >= (uint)_accountHead.Length) return;
        int slot = _accountHead[cmd.Account];
        while (slot >= 0)
        {
            ref var o = ref _orders[slot];
            int next = o.AccountNext;
            if (cmd.Instrument < 0 || o.Instrument == cmd.Instrument)
            {
                EmitCanceled(slot, cmd.CancelReason == CancelReason.None ? CancelReason.User : cmd.CancelReason);
                Remove(_books[o.Instrument]!, slot);
            }
            slot = next;
        }
    }

    // ---- snapshot restore ----

    /// <summary>
    /// Snapshot restore only (a fresh engine, before any command): puts a resting order back at the tail of its price
    /// level, with a fresh arrival sequence, its id live in the id index. No event is emitted; the entered-quantity
    /// counter grows by its remaining quantity so that quantity conservation still holds. Called in queue order (best
    /// level first, FIFO within), it rebuilds the book exactly. A snapshot keeps only the ids of live orders: the ids
    /// of finished orders are not restored (the server assigns increasing ids, so none can come back).
    /// </summary>
    /// <exception cref="InvalidOperationException">The book is unknown, the id is taken, the order is not valid or would cross the book.</exception>
    public void RestoreRestingOrder(int instrument, long id, int account, Side side, long price, long remaining, bool postOnly,
        SelfTradePrevention stp)
    {
        var book = Book(instrument) ?? throw new InvalidOperationException($"restore: instrument {instrument} has no book in this engine");
        if (_ids.Find(id) != OrderIdIndex.Absent) throw new InvalidOperationException($"restore: order id {id} is already in use");
        if (!IsValidPrice(price) || !IsValidQuantity(remaining) || !IsKnown(side) || !IsKnown(stp) || account < 0)
            throw new InvalidOperationException($"restore: order {id} is not a valid resting order");
        var opposite = book.SideOf(side.Opposite());
        if (!opposite.IsEmpty && Crosses(side, book.Level(opposite.Best).Price, price))
            throw new InvalidOperationException($"restore: order {id} at {price} would cross the book");
        _ids.Add(id, OrderIdIndex.Dead);
        _counters.EnteredQuantity += remaining;
        var entry = new Entry { Id = id, Account = account, Side = side, Limit = price, Quantity = remaining, Tif = TimeInForce.Gtc, PostOnly = postOnly, Stp = stp };
        Rest(book, in entry, remaining);
    }

    /// <summary>Snapshot restore only: the instrument's last trade price, which stops fire and are refused against.</summary>
    public void RestoreLastTrade(int instrument, long price)
    {
        if (Stops(instrument) is { } stops) stops.LastTrade = price;
    }

    // ---- shared ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Crosses(Side takerSide, long makerPrice, long limit)
        => takerSide == Side.Buy ? makerPrice <= limit : makerPrice >= limit;

    private static long AnyPrice(Side side) => side == Side.Buy ? long.MaxValue : long.MinValue;

    /// <summary>Takes a live order out of the book or the pending stops and frees it.</summary>
    private void Remove(OrderBook book, int slot)
    {
        ref var o = ref _orders[slot];
        if ((o.Flags & OrderFlags.Pending) != 0) _stops[o.Instrument]!.Remove(slot, _orders.Terms(slot).Type.TriggersOnRise(o.Side));
        else book.Unlink(slot);
        Forget(slot);
    }

    /// <summary>Frees a slot no longer in the book or the pending stops: its id is dead until an entry makes it live again.</summary>
    private void Forget(int slot)
    {
        _ids.MarkDead(_orders[slot].Id);
        UnlinkFromAccount(slot);
        _orders.Free(slot);
    }

    private int FindOwned(in OrderCommand cmd)
    {
        int slot = _ids.Find(cmd.OrderId);
        if (slot < 0) return -1;
        ref var o = ref _orders[slot];
        return o.Account == cmd.Account && o.Instrument == cmd.Instrument ? slot : -1;
    }

    /// <summary>The price events and views show: the limit, or 0 for a pending market-priced stop.</summary>
    private long ShownPrice(int slot)
        => (_orders[slot].Flags & OrderFlags.Pending) != 0 && !_orders.Terms(slot).Type.HasLimitPrice() ? 0 : _orders[slot].Price;
}
