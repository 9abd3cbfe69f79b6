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
/// </summary>
public sealed class MatchingEngine
{
    private readonly OrderStore _orders;
    private readonly OrderIdIndex _ids;
    private readonly EventBuffer _events;
    private readonly EngineOptions _options;
    private OrderBook?[] _books = new OrderBook?[8];
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
        _accountHead = new int[Math.Max(1, _options.AccountCapacity)];
        _accountTail = new int[_accountHead.Length];
        Array.Fill(_accountHead, -1);
        Array.Fill(_accountTail, -1);
    }

    public ref readonly EngineCounters Counters => ref _counters;

    public OrderStore Orders => _orders;

    internal OrderIdIndex Ids => _ids;

    /// <summary>Adds the book of an instrument (set-up, not hot path). Adding the same instrument twice is a no-op.</summary>
    public OrderBook AddInstrument(Instrument instrument)
    {
        if (instrument.Index >= _books.Length) Array.Resize(ref _books, Math.Max(_books.Length * 2, instrument.Index + 1));
        return _books[instrument.Index] ??= new OrderBook(instrument, _orders, _options.LevelCapacity);
    }

    /// <summary>The book of an instrument index, or null when this engine does not trade it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public OrderBook? Book(int instrument)
        => (uint)instrument < (uint)_books.Length ? _books[instrument] : null;

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
            default: Reject(in cmd, RejectReason.InvalidOrderType); break;
        }
        return _events.Span;
    }

    // ---- commands ----

    /// <summary>
    /// The engine's own checks of a new order or replace, without changing anything: what <see cref="Process"/>
    /// would reject it for, or <see cref="RejectReason.None"/>. Lets a pipeline run these before pre-trade risk.
    /// </summary>
    public RejectReason Validate(in OrderCommand cmd)
    {
        if (cmd.EdgeReject != RejectReason.None) return cmd.EdgeReject;
        if (Book(cmd.Instrument) is null) return RejectReason.UnknownSymbol;
        switch (cmd.Op)
        {
            case CommandOp.New:
            {
                var shape = ValidateNewOrder(in cmd);
                if (shape != RejectReason.None) return shape;
                if (_ids.Find(cmd.OrderId) != OrderIdIndex.Absent) return RejectReason.DuplicateId;
                return RejectReason.None;
            }
            case CommandOp.Cancel:
                return FindOwned(in cmd) < 0 ? RejectReason.UnknownOrder : RejectReason.None;
            case CommandOp.Replace:
            {
                int slot = FindOwned(in cmd);
                if (slot < 0) return RejectReason.UnknownOrder;
                if (!IsValidPrice(cmd.HasPrice ? cmd.Price : _orders[slot].Price)) return RejectReason.InvalidPrice;
                if (cmd.Quantity <= 0 || cmd.Quantity > Instrument.MaxQuantityLots) return RejectReason.InvalidQty;
                return RejectReason.None;
            }
            default:
                return RejectReason.None;
        }
    }

    /// <summary>
    /// The checks of a new order that need no book: price (limit orders), quantity, side, type, time in force, STP mode
    /// and the post-only combination. Part of <see cref="Validate"/>; gateways call it at the edge so that an order the
    /// engine would refuse for its shape is refused with the same reason before it takes an id.
    /// </summary>
    public static RejectReason ValidateNewOrder(in OrderCommand cmd)
    {
        bool market = cmd.Type == OrderType.Market;
        if (!market && !IsValidPrice(cmd.Price)) return RejectReason.InvalidPrice;
        if (cmd.Quantity <= 0 || cmd.Quantity > Instrument.MaxQuantityLots) return RejectReason.InvalidQty;
        if (!IsKnown(cmd.Side) || (cmd.Type != OrderType.Limit && !market) || !IsKnown(cmd.Tif) || !IsKnown(cmd.Stp)
            || (cmd.PostOnly && (market || cmd.Tif != TimeInForce.Gtc)))
            return RejectReason.InvalidOrderType;
        return RejectReason.None;
    }

    /// <summary>The live order with this id, if any (for risk and queries).</summary>
    public bool TryGetOrder(long id, out OrderView order)
    {
        int slot = _ids.Find(id);
        if (slot < 0)
        {
            order = default;
            return false;
        }
        ref var o = ref _orders[slot];
        order = new OrderView(o.Id, o.Account, o.Side, o.Price, o.Remaining);
        return true;
    }

    private void New(in OrderCommand cmd)
    {
        var reason = Validate(in cmd);
        if (reason != RejectReason.None) { Reject(in cmd, reason); return; }
        var book = _books[cmd.Instrument]!;
        bool market = cmd.Type == OrderType.Market;

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

        var tif = market && cmd.Tif == TimeInForce.Gtc ? TimeInForce.Ioc : cmd.Tif;
        // A market order trades at any price unless risk gave it a protection limit (price band).
        long limit = !market || cmd.HasPrice ? cmd.Price : (cmd.Side == Side.Buy ? long.MaxValue : long.MinValue);
        Execute(book, cmd.OrderId, cmd.Account, cmd.Side, limit, cmd.Quantity, tif, market, cmd.PostOnly, cmd.Stp);
    }

    private void Cancel(in OrderCommand cmd)
    {
        var reason = Validate(in cmd);
        if (reason != RejectReason.None) { Reject(in cmd, reason); return; }
        var book = _books[cmd.Instrument]!;
        int slot = FindOwned(in cmd);
        ref var o = ref _orders[slot];
        EmitCanceled(o.Id, o.Account, o.Instrument, o.Side, o.Price, o.Remaining, CancelReason.User);
        Remove(book, slot);
    }

    private void Replace(in OrderCommand cmd)
    {
        var reason = Validate(in cmd);
        if (reason != RejectReason.None) { Reject(in cmd, reason); return; }
        var book = _books[cmd.Instrument]!;
        int slot = FindOwned(in cmd);
        ref var o = ref _orders[slot];
        long price = cmd.HasPrice ? cmd.Price : o.Price;

        if (price == o.Price && cmd.Quantity <= o.Remaining)
        {
            // Same price, not larger: amend in place and keep time priority.
            _counters.WithdrawnQuantity += o.Remaining - cmd.Quantity;
            book.Reduce(slot, o.Remaining - cmd.Quantity);
            EmitReplaced(ref o);
            return;
        }

        // Any other change loses priority: leave the book and re-enter as a new GTC limit with the same flags.
        long id = o.Id;
        int account = o.Account;
        var side = o.Side;
        var stp = o.Stp;
        bool postOnly = o.PostOnly;
        _counters.WithdrawnQuantity += o.Remaining;
        Remove(book, slot);

        _counters.EnteredQuantity += cmd.Quantity;
        ref var ev = ref _events.Add(EventKind.Replaced);
        ev.Op = CommandOp.Replace;
        ev.OrderId = id;
        ev.Account = account;
        ev.Instrument = cmd.Instrument;
        ev.Side = side;
        ev.Price = price;
        ev.Quantity = cmd.Quantity;
        Execute(book, id, account, side, price, cmd.Quantity, TimeInForce.Gtc, market: false, postOnly, stp);
    }

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
                var reason = cmd.CancelReason == CancelReason.None ? CancelReason.User : cmd.CancelReason;
                EmitCanceled(o.Id, o.Account, o.Instrument, o.Side, o.Price, o.Remaining, reason);
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
        if (!IsValidPrice(price) || remaining <= 0 || remaining > Instrument.MaxQuantityLots || !IsKnown(side) || !IsKnown(stp) || account < 0)
            throw new InvalidOperationException($"restore: order {id} is not a valid resting order");
        var opposite = book.SideOf(side.Opposite());
        if (!opposite.IsEmpty && Crosses(side, book.Level(opposite.Best).Price, price))
            throw new InvalidOperationException($"restore: order {id} at {price} would cross the book");
        _ids.Add(id, OrderIdIndex.Dead);
        _counters.EnteredQuantity += remaining;
        Rest(book, id, account, side, price, remaining, postOnly, stp);
    }

    // ---- matching ----

    /// <summary>Matches an incoming order against the opposite side, then rests or cancels what is left.</summary>
    private void Execute(OrderBook book, long id, int account, Side side, long limit, long quantity,
        TimeInForce tif, bool market, bool postOnly, SelfTradePrevention stp)
    {
        var opposite = book.SideOf(side.Opposite());
        int instrument = book.Instrument.Index;
        long eventPrice = market ? 0 : limit;

        if (postOnly && !opposite.IsEmpty && Crosses(side, book.Level(opposite.Best).Price, limit))
        {
            EmitCanceled(id, account, instrument, side, eventPrice, quantity, CancelReason.PostOnlyWouldCross);
            return;
        }
        if (tif == TimeInForce.Fok && !CanFillCompletely(book, opposite, account, side, limit, quantity, stp))
        {
            EmitCanceled(id, account, instrument, side, eventPrice, quantity, CancelReason.FokUnfilled);
            return;
        }

        long remaining = quantity;
        bool stoppedBySelfTrade = false;
        while (remaining > 0 && !opposite.IsEmpty)
        {
            int levelSlot = opposite.Best;
            ref var level = ref book.Level(levelSlot);
            if (!Crosses(side, level.Price, limit)) break;
            long tradePrice = level.Price;
            int makerSlot = level.Head;
            while (makerSlot >= 0 && remaining > 0)
            {
                ref var maker = ref _orders[makerSlot];
                int next = maker.Next;
                if (stp != SelfTradePrevention.None && maker.Account == account)
                {
                    if (stp == SelfTradePrevention.CancelTaker) { stoppedBySelfTrade = true; break; }
                    EmitCanceled(maker.Id, maker.Account, instrument, maker.Side, maker.Price, maker.Remaining, CancelReason.SelfTrade);
                    Remove(book, makerSlot);
                    if (stp == SelfTradePrevention.CancelBoth) { stoppedBySelfTrade = true; break; }
                    makerSlot = next;
                    continue;
                }
                long fill = Math.Min(remaining, maker.Remaining);
                remaining -= fill;
                maker.Remaining -= fill;
                level.TotalQuantity -= fill;
                _counters.Trades++;
                _counters.TradedQuantity += fill;
                ref var t = ref _events.Add(EventKind.Trade);
                t.Instrument = instrument;
                t.Price = tradePrice;
                t.Quantity = fill;
                t.OrderId = id;
                t.Account = account;
                t.Side = side;
                t.Remaining = remaining;
                t.MakerOrderId = maker.Id;
                t.MakerAccount = maker.Account;
                t.MakerRemaining = maker.Remaining;
                if (maker.Remaining == 0) Remove(book, makerSlot);
                makerSlot = next;
            }
            if (stoppedBySelfTrade) break;
        }

        if (remaining == 0) return;
        if (stoppedBySelfTrade)
            EmitCanceled(id, account, instrument, side, eventPrice, remaining, CancelReason.SelfTrade);
        else if (market)
            EmitCanceled(id, account, instrument, side, eventPrice, remaining,
                tif == TimeInForce.Fok ? CancelReason.FokUnfilled
                : opposite.IsEmpty ? CancelReason.MarketNoLiquidity : CancelReason.PriceBand);
        else if (tif == TimeInForce.Ioc)
            EmitCanceled(id, account, instrument, side, eventPrice, remaining, CancelReason.IocRemainder);
        else if (tif == TimeInForce.Fok)
            EmitCanceled(id, account, instrument, side, eventPrice, remaining, CancelReason.FokUnfilled);
        else
            Rest(book, id, account, side, limit, remaining, postOnly, stp);
    }

    /// <summary>
    /// FOK pre-check: walks the crossing liquidity in priority order exactly as matching would, skipping
    /// own orders that STP would cancel and stopping where STP would stop the taker.
    /// </summary>
    private bool CanFillCompletely(OrderBook book, BookSide opposite, int account, Side side, long limit, long quantity,
        SelfTradePrevention stp)
    {
        long needed = quantity;
        for (int rank = 0; rank < opposite.LevelCount; rank++)
        {
            ref var level = ref book.Level(opposite.AtRank(rank));
            if (!Crosses(side, level.Price, limit)) return false;
            for (int s = level.Head; s >= 0; s = _orders[s].Next)
            {
                ref var maker = ref _orders[s];
                if (stp != SelfTradePrevention.None && maker.Account == account)
                {
                    if (stp == SelfTradePrevention.CancelMaker) continue;
                    return false;
                }
                needed -= maker.Remaining;
                if (needed <= 0) return true;
            }
        }
        return false;
    }

    private void Rest(OrderBook book, long id, int account, Side side, long price, long quantity, bool postOnly,
        SelfTradePrevention stp)
    {
        int slot = _orders.Allocate();
        ref var o = ref _orders[slot];
        o.Id = id;
        o.Account = account;
        o.Instrument = book.Instrument.Index;
        o.Side = side;
        o.Price = price;
        o.Remaining = quantity;
        o.PostOnly = postOnly;
        o.Stp = stp;
        o.Sequence = ++_sequence;
        book.Append(slot);
        _ids.Update(id, slot);
        LinkToAccount(slot, account);
    }

    /// <summary>For <see cref="BookInvariants"/>: every live order is on its account's list exactly once, links consistent.</summary>
    internal string? CheckAccountLists()
    {
        int total = 0;
        for (int account = 0; account < _accountHead.Length; account++)
        {
            int prev = -1;
            for (int slot = _accountHead[account]; slot >= 0; slot = _orders[slot].AccountNext)
            {
                ref var o = ref _orders[slot];
                if (o.Account != account) return $"order {o.Id} of account {o.Account} is on the list of account {account}";
                if (o.AccountPrev != prev) return $"order {o.Id} has a broken account back link";
                if (o.Level < 0) return $"order slot {slot} on the list of account {account} is not in a book";
                if (++total > _orders.Live) return $"the account lists of account {account} loop or hold dead orders";
                prev = slot;
            }
            if (_accountTail[account] != prev) return $"tail of the order list of account {account} is wrong";
        }
        return total == _orders.Live ? null : $"{_orders.Live} live orders, {total} on account lists";
    }

    private void LinkToAccount(int slot, int account)
    {
        if ((uint)account >= (uint)_accountHead.Length) GrowAccounts(account);
        ref var o = ref _orders[slot];
        o.AccountNext = -1;
        o.AccountPrev = _accountTail[account];
        if (o.AccountPrev >= 0) _orders[o.AccountPrev].AccountNext = slot;
        else _accountHead[account] = slot;
        _accountTail[account] = slot;
    }

    private void UnlinkFromAccount(int slot)
    {
        ref var o = ref _orders[slot];
        if (o.AccountPrev >= 0) _orders[o.AccountPrev].AccountNext = o.AccountNext;
        else _accountHead[o.Account] = o.AccountNext;
        if (o.AccountNext >= 0) _orders[o.AccountNext].AccountPrev = o.AccountPrev;
        else _accountTail[o.Account] = o.AccountPrev;
    }

    /// <summary>Accounts are dense small integers; the per-account list heads grow (rarely) when a new one appears.</summary>
    private void GrowAccounts(int account)
    {
        int size = _accountHead.Length;
        while (size <= account) size *= 2;
        int old = _accountHead.Length;
        Array.Resize(ref _accountHead, size);
        Array.Resize(ref _accountTail, size);
        Array.Fill(_accountHead, -1, old, size - old);
        Array.Fill(_accountTail, -1, old, size - old);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Crosses(Side takerSide, long makerPrice, long limit)
        => takerSide == Side.Buy ? makerPrice <= limit : makerPrice >= limit;

    private void Remove(OrderBook book, int slot)
    {
        _ids.MarkDead(_orders[slot].Id);
        UnlinkFromAccount(slot);
        book.Unlink(slot);
        _orders.Free(slot);
    }

    private int FindOwned(in OrderCommand cmd)
    {
        int slot = _ids.Find(cmd.OrderId);
        if (slot < 0) return -1;
        ref var o = ref _orders[slot];
        return o.Account == cmd.Account && o.Instrument == cmd.Instrument ? slot : -1;
    }

    // ---- events ----

    private void Reject(in OrderCommand cmd, RejectReason reason)
    {
        _counters.Rejected++;
        ref var e = ref _events.Add(EventKind.Rejected);
        e.Op = cmd.Op;
        e.OrderId = cmd.OrderId;
        e.Account = cmd.Account;
        e.Instrument = cmd.Instrument;
        e.Side = cmd.Side;
        e.RejectReason = reason;
    }

    private void EmitCanceled(long id, int account, int instrument, Side side, long price, long remaining, CancelReason reason)
    {
        _counters.CanceledQuantity += remaining;
        ref var e = ref _events.Add(EventKind.Canceled);
        e.OrderId = id;
        e.Account = account;
        e.Instrument = instrument;
        e.Side = side;
        e.Price = price;
        e.Remaining = remaining;
        e.CancelReason = reason;
    }

    private void EmitReplaced(ref RestingOrder o)
    {
        ref var e = ref _events.Add(EventKind.Replaced);
        e.Op = CommandOp.Replace;
        e.OrderId = o.Id;
        e.Account = o.Account;
        e.Instrument = o.Instrument;
        e.Side = o.Side;
        e.Price = o.Price;
        e.Quantity = o.Remaining;
    }

    private static bool IsValidPrice(long ticks) => ticks > 0 && ticks <= Instrument.MaxPriceTicks;

    private static bool IsKnown(Side s) => s is Side.Buy or Side.Sell;

    private static bool IsKnown(TimeInForce t) => t is TimeInForce.Gtc or TimeInForce.Ioc or TimeInForce.Fok;

    private static bool IsKnown(SelfTradePrevention s) => s <= SelfTradePrevention.CancelBoth;
}
