using Hft.Core.Instruments;

namespace Hft.Core.Tests.Model;

/// <summary>
/// A deliberately naive reference implementation of the engine's specification: flat lists of resting and pending
/// orders, every question answered by a linear scan and a sort, fill-or-kill decided by a dry run. It shares nothing
/// with the engine but the public command / event / enum types and the documented limits, so that a disagreement
/// between the two points at a bug in one of them. Slow on purpose; never used outside tests.
/// </summary>
public sealed class SimpleBookModel
{
    private readonly HashSet<int> _instruments;
    private List<ModelOrder> _resting = new();
    private readonly List<ModelOrder> _pending = new();
    private readonly Dictionary<int, long> _lastTrade = new();
    private readonly HashSet<long> _usedIds = new();
    private readonly List<EngineEvent> _events = new();
    private long _arrivals;
    private long _entries;

    public SimpleBookModel(IEnumerable<int> instruments) => _instruments = new HashSet<int>(instruments);

    /// <summary>Runs one command; returns its events (a fresh list).</summary>
    public List<EngineEvent> Process(OrderCommand cmd)
    {
        _events.Clear();
        switch (cmd.Op)
        {
            case CommandOp.New: New(cmd); break;
            case CommandOp.Cancel: Cancel(cmd); break;
            case CommandOp.Replace: Replace(cmd); break;
            case CommandOp.MassCancel: MassCancel(cmd); break;
            case CommandOp.Expire: Expire(cmd); break;
            default: Reject(cmd, RejectReason.InvalidOrderType); break;
        }
        return new List<EngineEvent>(_events);
    }

    // ---- views ----

    /// <summary>Resting orders of one side, best price first, then arrival order; displayed quantities.</summary>
    public List<OrderView> Orders(int instrument, Side side)
        => InPriority(_resting.Where(o => o.Instrument == instrument && o.Side == side), side)
            .Select(o => new OrderView(o.Id, o.Account, o.Side, o.Price, o.Remaining))
            .ToList();

    /// <summary>Total remaining (displayed and hidden) of the resting orders of one side, in priority order.</summary>
    public long[] Totals(int instrument, Side side)
        => InPriority(_resting.Where(o => o.Instrument == instrument && o.Side == side), side).Select(o => o.Total).ToArray();

    /// <summary>Aggregated levels of one side, best first.</summary>
    public List<LevelView> Levels(int instrument, Side side)
        => Orders(instrument, side)
            .GroupBy(o => o.Price)
            .Select(g => new LevelView(g.Key, g.Sum(o => o.Remaining), g.Count()))
            .ToList(); // GroupBy keeps first-appearance order, which is already best first

    /// <summary>Pending stops of an instrument: (id, trigger, quantity), rising ones first, each in firing order.</summary>
    public List<(long Id, long Trigger, long Quantity)> Pending(int instrument)
        => FiringOrder(_pending.Where(o => o.Instrument == instrument), long.MaxValue, long.MinValue)
            .Select(o => (o.Id, o.TriggerPrice, o.Remaining)).ToList();

    public long LastTrade(int instrument) => _lastTrade.GetValueOrDefault(instrument);

    public int LiveOrderCount => _resting.Count + _pending.Count;

    // ---- commands ----

    private void New(OrderCommand cmd)
    {
        var reason = ValidateNew(cmd);
        if (reason != RejectReason.None)
        {
            Reject(cmd, reason);
            return;
        }
        _usedIds.Add(cmd.OrderId);
        bool market = !HasLimit(cmd.Type);
        _events.Add(new EngineEvent
        {
            Kind = EventKind.Accepted, Op = CommandOp.New, OrderId = cmd.OrderId, Account = cmd.Account,
            Instrument = cmd.Instrument, Side = cmd.Side, Price = market ? 0 : cmd.Price, Quantity = cmd.Quantity,
        });
        if (IsStop(cmd.Type))
        {
            _pending.Add(new ModelOrder
            {
                Id = cmd.OrderId, Account = cmd.Account, Instrument = cmd.Instrument, Side = cmd.Side,
                Price = cmd.Price, Remaining = cmd.Quantity, PostOnly = cmd.PostOnly, Stp = cmd.Stp,
                Arrival = ++_arrivals, Entered = ++_entries, Type = cmd.Type, Tif = cmd.Tif, TriggerPrice = cmd.TriggerPrice,
                DisplayQuantity = cmd.DisplayQuantity, ExpireTime = cmd.ExpireTime,
                BandLimit = market && cmd.HasPrice,
            });
            return;
        }
        EnterAndCascade(new Incoming(cmd.OrderId, cmd.Account, cmd.Instrument, cmd.Side, market, market && !cmd.HasPrice,
            cmd.Price, cmd.Quantity, market && cmd.Tif is TimeInForce.Gtc or TimeInForce.Gtd ? TimeInForce.Ioc : cmd.Tif,
            cmd.PostOnly, cmd.Stp, cmd.DisplayQuantity, cmd.ExpireTime));
    }

    /// <summary>Cancels the account's orders (one instrument, or all for -1) in the order they entered.</summary>
    private void MassCancel(OrderCommand cmd)
    {
        var reason = cmd.CancelReason == CancelReason.None ? CancelReason.User : cmd.CancelReason;
        foreach (var order in Live().Where(o => o.Account == cmd.Account && (cmd.Instrument < 0 || o.Instrument == cmd.Instrument))
                     .OrderBy(o => o.Entered).ToList())
            CancelWhole(order, reason);
    }

    private void Expire(OrderCommand cmd)
    {
        if (cmd.EdgeReject != RejectReason.None) { Reject(cmd, cmd.EdgeReject); return; }
        foreach (var order in Live().Where(o => o.ExpireTime > 0 && o.ExpireTime <= cmd.ExpireTime)
                     .OrderBy(o => o.ExpireTime).ThenBy(o => o.Id).ToList())
            CancelWhole(order, CancelReason.Expired);
    }

    private RejectReason ValidateNew(OrderCommand cmd)
    {
        if (cmd.EdgeReject != RejectReason.None) return cmd.EdgeReject;
        if (!_instruments.Contains(cmd.Instrument)) return RejectReason.UnknownSymbol;
        bool marketPriced = cmd.Type is OrderType.Market or OrderType.Stop or OrderType.TakeProfit;
        bool rests = cmd.Tif is TimeInForce.Gtc or TimeInForce.Gtd;
        if (!marketPriced && !PriceOk(cmd.Price)) return RejectReason.InvalidPrice;
        if (!QuantityOk(cmd.Quantity)) return RejectReason.InvalidQty;
        if (!Enum.IsDefined(cmd.Side) || !Enum.IsDefined(cmd.Type) || !Enum.IsDefined(cmd.Tif) || !Enum.IsDefined(cmd.Stp))
            return RejectReason.InvalidOrderType;
        if (cmd.PostOnly && (marketPriced || !rests)) return RejectReason.InvalidOrderType;
        if (cmd.Type == OrderType.Market && cmd.Tif == TimeInForce.Gtd) return RejectReason.InvalidOrderType;
        if (IsStop(cmd.Type) ? !PriceOk(cmd.TriggerPrice) : cmd.TriggerPrice != 0) return RejectReason.InvalidTriggerPrice;
        if (cmd.DisplayQuantity != 0 && (cmd.DisplayQuantity < 0 || cmd.DisplayQuantity > cmd.Quantity || marketPriced || !rests
                || cmd.Quantity > cmd.DisplayQuantity * 100))
            return RejectReason.InvalidDisplayQty;
        if (cmd.Tif == TimeInForce.Gtd ? cmd.ExpireTime <= 0 : cmd.ExpireTime != 0) return RejectReason.InvalidExpireTime;
        if (IsStop(cmd.Type) && ReachedBy(cmd.Instrument, cmd.Type, cmd.Side, cmd.TriggerPrice)) return RejectReason.WouldTriggerImmediately;
        if (_usedIds.Contains(cmd.OrderId)) return RejectReason.DuplicateId;
        return RejectReason.None;
    }

    private void Cancel(OrderCommand cmd)
    {
        if (cmd.EdgeReject != RejectReason.None) { Reject(cmd, cmd.EdgeReject); return; }
        if (!_instruments.Contains(cmd.Instrument)) { Reject(cmd, RejectReason.UnknownSymbol); return; }
        var order = FindOwned(cmd);
        if (order is null) { Reject(cmd, RejectReason.UnknownOrder); return; }
        CancelWhole(order, CancelReason.User);
    }

    private void Replace(OrderCommand cmd)
    {
        if (cmd.EdgeReject != RejectReason.None) { Reject(cmd, cmd.EdgeReject); return; }
        if (!_instruments.Contains(cmd.Instrument)) { Reject(cmd, RejectReason.UnknownSymbol); return; }
        var order = FindOwned(cmd);
        if (order is null) { Reject(cmd, RejectReason.UnknownOrder); return; }
        bool pending = _pending.Contains(order);
        long price = cmd.HasPrice ? cmd.Price : order.Price;
        if ((!pending || HasLimit(order.Type)) && !PriceOk(price)) { Reject(cmd, RejectReason.InvalidPrice); return; }
        if (!QuantityOk(cmd.Quantity)) { Reject(cmd, RejectReason.InvalidQty); return; }
        if (order.DisplayQuantity > 0 && cmd.Quantity > order.DisplayQuantity * 100) { Reject(cmd, RejectReason.InvalidDisplayQty); return; }
        if (cmd.TriggerPrice != 0)
        {
            if (!pending || !PriceOk(cmd.TriggerPrice)) { Reject(cmd, RejectReason.InvalidTriggerPrice); return; }
            if (ReachedBy(order.Instrument, order.Type, order.Side, cmd.TriggerPrice)) { Reject(cmd, RejectReason.WouldTriggerImmediately); return; }
        }

        if (pending)
        {
            if (HasLimit(order.Type)) order.Price = price;
            long trigger = cmd.TriggerPrice != 0 ? cmd.TriggerPrice : order.TriggerPrice;
            if (trigger != order.TriggerPrice || cmd.Quantity > order.Remaining) order.Arrival = ++_arrivals;
            order.TriggerPrice = trigger;
            order.Remaining = cmd.Quantity;
            EmitReplaced(order, HasLimit(order.Type) ? order.Price : 0, cmd.Quantity);
            return;
        }
        if (price == order.Price && cmd.Quantity <= order.Total)
        {
            long visible = Math.Min(order.Remaining, cmd.Quantity);
            order.Hidden = cmd.Quantity - visible;
            order.Remaining = visible;
            EmitReplaced(order, price, cmd.Quantity);
            return;
        }
        _resting.Remove(order);
        EmitReplaced(order, price, cmd.Quantity);
        EnterAndCascade(new Incoming(order.Id, order.Account, order.Instrument, order.Side, false, false, price, cmd.Quantity,
            order.ExpireTime > 0 ? TimeInForce.Gtd : TimeInForce.Gtc, order.PostOnly, order.Stp,
            Math.Min(order.DisplayQuantity, cmd.Quantity), order.ExpireTime));
    }

    // ---- triggers ----

    /// <summary>Enters an order, then, trade by trade, fires the stops its trades reach and enters them one after another.</summary>
    private void EnterAndCascade(Incoming incoming)
    {
        int cursor = _events.Count;
        Enter(incoming);
        var fired = new Queue<ModelOrder>();
        while (true)
        {
            for (; cursor < _events.Count; cursor++)
            {
                var e = _events[cursor];
                if (e.Kind != EventKind.Trade) continue;
                _lastTrade[e.Instrument] = e.Price;
                foreach (var stop in FiringOrder(_pending.Where(o => o.Instrument == e.Instrument), e.Price, e.Price).ToList())
                {
                    _pending.Remove(stop);
                    fired.Enqueue(stop);
                }
            }
            if (fired.Count == 0) return;
            var s = fired.Dequeue();
            bool market = !HasLimit(s.Type);
            _events.Add(new EngineEvent
            {
                Kind = EventKind.Triggered, OrderId = s.Id, Account = s.Account, Instrument = s.Instrument, Side = s.Side,
                Price = market ? 0 : s.Price, Quantity = s.Remaining,
            });
            Enter(new Incoming(s.Id, s.Account, s.Instrument, s.Side, market, market && !s.BandLimit, s.Price, s.Remaining,
                market && s.Tif is TimeInForce.Gtc or TimeInForce.Gtd ? TimeInForce.Ioc : s.Tif, s.PostOnly, s.Stp,
                s.DisplayQuantity, s.ExpireTime));
        }
    }

    /// <summary>
    /// The stops a last trade at <paramref name="risingTo"/> / <paramref name="fallingTo"/> reaches, in firing order:
    /// rising ones (buy stops, sell take-profits) by lowest trigger, then falling ones by highest trigger; ties by arrival.
    /// </summary>
    private static IEnumerable<ModelOrder> FiringOrder(IEnumerable<ModelOrder> stops, long risingTo, long fallingTo)
    {
        var list = stops.ToList();
        return list.Where(o => OnRise(o.Type, o.Side) && o.TriggerPrice <= risingTo).OrderBy(o => o.TriggerPrice).ThenBy(o => o.Arrival)
            .Concat(list.Where(o => !OnRise(o.Type, o.Side) && o.TriggerPrice >= fallingTo).OrderByDescending(o => o.TriggerPrice).ThenBy(o => o.Arrival));
    }

    private static bool OnRise(OrderType type, Side side) => (type is OrderType.Stop or OrderType.StopLimit) == (side == Side.Buy);

    private bool ReachedBy(int instrument, OrderType type, Side side, long trigger)
    {
        long last = _lastTrade.GetValueOrDefault(instrument);
        return last > 0 && (OnRise(type, side) ? last >= trigger : last <= trigger);
    }

    // ---- matching ----

    private readonly record struct Incoming(long Id, int Account, int Instrument, Side Side, bool Market, bool AnyPrice, long Price,
        long Quantity, TimeInForce Tif, bool PostOnly, SelfTradePrevention Stp, long Display, long ExpireTime);

    private void Enter(Incoming o)
    {
        long eventPrice = o.Market ? 0 : o.Price;
        if (o.PostOnly && CrossingQueue(o).Count > 0)
        {
            EmitCanceled(o.Id, o.Account, o.Instrument, o.Side, eventPrice, o.Quantity, CancelReason.PostOnlyWouldCross);
            return;
        }
        if (o.Tif == TimeInForce.Fok)
        {
            // Dry run: match as if the order could take anything, and undo everything unless it filled completely.
            var saved = (Resting: _resting.Select(r => r.Clone()).ToList(), Arrivals: _arrivals, Events: _events.Count);
            var (remaining, _) = Match(o);
            if (remaining == 0) return;
            (_resting, _arrivals) = (saved.Resting, saved.Arrivals);
            _events.RemoveRange(saved.Events, _events.Count - saved.Events);
            EmitCanceled(o.Id, o.Account, o.Instrument, o.Side, eventPrice, o.Quantity, CancelReason.FokUnfilled);
            return;
        }

        var (left, stoppedBySelfTrade) = Match(o);
        if (left == 0) return;
        CancelReason reason =
            stoppedBySelfTrade ? CancelReason.SelfTrade
            : o.Market ? (_resting.Any(r => r.Instrument == o.Instrument && r.Side != o.Side) ? CancelReason.PriceBand : CancelReason.MarketNoLiquidity)
            : o.Tif == TimeInForce.Ioc ? CancelReason.IocRemainder
            : CancelReason.None;
        if (reason != CancelReason.None)
        {
            EmitCanceled(o.Id, o.Account, o.Instrument, o.Side, eventPrice, left, reason);
            return;
        }
        long shown = o.Display > 0 ? Math.Min(o.Display, left) : left;
        _resting.Add(new ModelOrder
        {
            Id = o.Id, Account = o.Account, Instrument = o.Instrument, Side = o.Side, Price = o.Price, Remaining = shown,
            Hidden = left - shown, DisplayQuantity = o.Display, ExpireTime = o.ExpireTime, Tif = o.Tif,
            PostOnly = o.PostOnly, Stp = o.Stp, Arrival = ++_arrivals, Entered = ++_entries,
        });
    }

    private List<ModelOrder> CrossingQueue(Incoming o)
        => InPriority(_resting.Where(r => r.Instrument == o.Instrument && r.Side != o.Side
            && (o.AnyPrice || (o.Side == Side.Buy ? r.Price <= o.Price : r.Price >= o.Price))), o.Side.Opposite()).ToList();

    /// <summary>Takes liquidity in priority order; an iceberg maker whose slice empties shows a new slice at the back.</summary>
    private (long Remaining, bool StoppedBySelfTrade) Match(Incoming o)
    {
        long remaining = o.Quantity;
        while (remaining > 0)
        {
            var maker = CrossingQueue(o).FirstOrDefault();
            if (maker is null) break;
            if (o.Stp != SelfTradePrevention.None && maker.Account == o.Account)
            {
                if (o.Stp == SelfTradePrevention.CancelTaker) return (remaining, true);
                CancelWhole(maker, CancelReason.SelfTrade);
                if (o.Stp == SelfTradePrevention.CancelBoth) return (remaining, true);
                continue;
            }
            long fill = Math.Min(remaining, maker.Remaining);
            remaining -= fill;
            maker.Remaining -= fill;
            _events.Add(new EngineEvent
            {
                Kind = EventKind.Trade, Instrument = o.Instrument, Price = maker.Price, Quantity = fill,
                OrderId = o.Id, Account = o.Account, Side = o.Side, Remaining = remaining,
                MakerOrderId = maker.Id, MakerAccount = maker.Account, MakerRemaining = maker.Total,
            });
            if (maker.Remaining > 0) continue;
            if (maker.Hidden == 0)
            {
                _resting.Remove(maker);
                continue;
            }
            long slice = Math.Min(maker.DisplayQuantity, maker.Hidden);
            maker.Hidden -= slice;
            maker.Remaining = slice;
            maker.Arrival = ++_arrivals;
            _events.Add(new EngineEvent
            {
                Kind = EventKind.Refreshed, OrderId = maker.Id, Account = maker.Account, Instrument = maker.Instrument,
                Side = maker.Side, Price = maker.Price, Quantity = slice, Remaining = maker.Total,
            });
        }
        return (remaining, false);
    }

    // ---- helpers ----

    /// <summary>Priority order of resting orders of side <paramref name="restingSide"/>: best price, then arrival.</summary>
    private static IEnumerable<ModelOrder> InPriority(IEnumerable<ModelOrder> orders, Side restingSide)
        => (restingSide == Side.Buy ? orders.OrderByDescending(o => o.Price) : orders.OrderBy(o => o.Price))
            .ThenBy(o => o.Arrival);

    private IEnumerable<ModelOrder> Live() => _resting.Concat(_pending);

    private ModelOrder? FindOwned(OrderCommand cmd)
        => Live().FirstOrDefault(o => o.Id == cmd.OrderId && o.Account == cmd.Account && o.Instrument == cmd.Instrument);

    private static bool IsStop(OrderType type) => type is OrderType.Stop or OrderType.StopLimit or OrderType.TakeProfit or OrderType.TakeProfitLimit;

    private static bool HasLimit(OrderType type) => type is OrderType.Limit or OrderType.StopLimit or OrderType.TakeProfitLimit;

    private static bool PriceOk(long price) => price > 0 && price <= Instrument.MaxPriceTicks;

    private static bool QuantityOk(long qty) => qty > 0 && qty <= Instrument.MaxQuantityLots;

    private void CancelWhole(ModelOrder order, CancelReason reason)
    {
        bool pending = _pending.Remove(order);
        if (!pending) _resting.Remove(order);
        long shownPrice = pending && !HasLimit(order.Type) ? 0 : order.Price;
        EmitCanceled(order.Id, order.Account, order.Instrument, order.Side, shownPrice, pending ? order.Remaining : order.Total, reason);
    }

    private void Reject(OrderCommand cmd, RejectReason reason)
        => _events.Add(new EngineEvent
        {
            Kind = EventKind.Rejected, Op = cmd.Op, OrderId = cmd.OrderId, Account = cmd.Account,
            Instrument = cmd.Instrument, Side = cmd.Side, RejectReason = reason,
        });

    private void EmitCanceled(long id, int account, int instrument, Side side, long price, long remaining, CancelReason reason)
        => _events.Add(new EngineEvent
        {
            Kind = EventKind.Canceled, OrderId = id, Account = account, Instrument = instrument, Side = side,
            Price = price, Remaining = remaining, CancelReason = reason,
        });

    private void EmitReplaced(ModelOrder order, long price, long quantity)
        => _events.Add(new EngineEvent
        {
            Kind = EventKind.Replaced, Op = CommandOp.Replace, OrderId = order.Id, Account = order.Account,
            Instrument = order.Instrument, Side = order.Side, Price = price, Quantity = quantity,
        });
}
