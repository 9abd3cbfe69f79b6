using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Core.Tests.Model;

/// <summary>
/// A deliberately naive reference implementation of the engine's specification: one flat list of resting
/// orders, every question answered by a linear scan and a sort. It shares nothing with the engine but the
/// public command / event / enum types and the documented limits, so that a disagreement between the two
/// points at a bug in one of them. Slow on purpose; never used outside tests.
/// </summary>
public sealed class SimpleBookModel
{
    private readonly HashSet<int> _instruments;
    private readonly List<ModelOrder> _resting = new();
    private readonly HashSet<long> _usedIds = new();
    private readonly List<EngineEvent> _events = new();
    private long _arrivals;

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
            default: Reject(cmd, RejectReason.InvalidOrderType); break;
        }
        return new List<EngineEvent>(_events);
    }

    // ---- L2 / L3 views ----

    /// <summary>Resting orders of one side, best price first, then arrival order.</summary>
    public List<OrderView> Orders(int instrument, Side side)
        => InPriority(_resting.Where(o => o.Instrument == instrument && o.Side == side), side)
            .Select(o => new OrderView(o.Id, o.Account, o.Side, o.Price, o.Remaining))
            .ToList();

    /// <summary>Aggregated levels of one side, best first.</summary>
    public List<LevelView> Levels(int instrument, Side side)
        => Orders(instrument, side)
            .GroupBy(o => o.Price)
            .Select(g => new LevelView(g.Key, g.Sum(o => o.Remaining), g.Count()))
            .ToList(); // GroupBy keeps first-appearance order, which is already best first

    public int LiveOrderCount => _resting.Count;

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
        bool market = cmd.Type == OrderType.Market;
        _events.Add(new EngineEvent
        {
            Kind = EventKind.Accepted, Op = CommandOp.New, OrderId = cmd.OrderId, Account = cmd.Account,
            Instrument = cmd.Instrument, Side = cmd.Side, Price = market ? 0 : cmd.Price, Quantity = cmd.Quantity,
        });
        var tif = market && cmd.Tif == TimeInForce.Gtc ? TimeInForce.Ioc : cmd.Tif;
        // A market order with a price has a protection limit (price band); without one it takes any price.
        bool anyPrice = market && !cmd.HasPrice;
        Enter(cmd.OrderId, cmd.Account, cmd.Instrument, cmd.Side, market, anyPrice, cmd.Price, cmd.Quantity, tif, cmd.PostOnly, cmd.Stp);
    }

    /// <summary>Cancels the account's orders (one instrument, or all for -1) in the order they entered the book.</summary>
    private void MassCancel(OrderCommand cmd)
    {
        var reason = cmd.CancelReason == CancelReason.None ? CancelReason.User : cmd.CancelReason;
        foreach (var order in _resting.Where(o => o.Account == cmd.Account && (cmd.Instrument < 0 || o.Instrument == cmd.Instrument))
                     .OrderBy(o => o.Arrival).ToList())
        {
            EmitCanceled(order.Id, order.Account, order.Instrument, order.Side, order.Price, order.Remaining, reason);
            _resting.Remove(order);
        }
    }

    private RejectReason ValidateNew(OrderCommand cmd)
    {
        if (cmd.EdgeReject != RejectReason.None) return cmd.EdgeReject;
        if (!_instruments.Contains(cmd.Instrument)) return RejectReason.UnknownSymbol;
        bool market = cmd.Type == OrderType.Market;
        if (!market && !PriceOk(cmd.Price)) return RejectReason.InvalidPrice;
        if (!QuantityOk(cmd.Quantity)) return RejectReason.InvalidQty;
        if (!Enum.IsDefined(cmd.Side) || !Enum.IsDefined(cmd.Type) || !Enum.IsDefined(cmd.Tif) || !Enum.IsDefined(cmd.Stp))
            return RejectReason.InvalidOrderType;
        if (cmd.PostOnly && (market || cmd.Tif != TimeInForce.Gtc)) return RejectReason.InvalidOrderType;
        if (_usedIds.Contains(cmd.OrderId)) return RejectReason.DuplicateId;
        return RejectReason.None;
    }

    private void Cancel(OrderCommand cmd)
    {
        if (cmd.EdgeReject != RejectReason.None) { Reject(cmd, cmd.EdgeReject); return; }
        if (!_instruments.Contains(cmd.Instrument)) { Reject(cmd, RejectReason.UnknownSymbol); return; }
        var order = FindOwned(cmd);
        if (order is null) { Reject(cmd, RejectReason.UnknownOrder); return; }
        EmitCanceled(order.Id, order.Account, order.Instrument, order.Side, order.Price, order.Remaining, CancelReason.User);
        _resting.Remove(order);
    }

    private void Replace(OrderCommand cmd)
    {
        if (cmd.EdgeReject != RejectReason.None) { Reject(cmd, cmd.EdgeReject); return; }
        if (!_instruments.Contains(cmd.Instrument)) { Reject(cmd, RejectReason.UnknownSymbol); return; }
        var order = FindOwned(cmd);
        if (order is null) { Reject(cmd, RejectReason.UnknownOrder); return; }
        long price = cmd.HasPrice ? cmd.Price : order.Price;
        if (!PriceOk(price)) { Reject(cmd, RejectReason.InvalidPrice); return; }
        if (!QuantityOk(cmd.Quantity)) { Reject(cmd, RejectReason.InvalidQty); return; }

        if (price == order.Price && cmd.Quantity <= order.Remaining)
        {
            order.Remaining = cmd.Quantity;
            EmitReplaced(order, price, cmd.Quantity);
            return;
        }
        _resting.Remove(order);
        EmitReplaced(order, price, cmd.Quantity);
        Enter(order.Id, order.Account, order.Instrument, order.Side, market: false, anyPrice: false, price, cmd.Quantity,
            TimeInForce.Gtc, order.PostOnly, order.Stp);
    }

    // ---- matching ----

    private void Enter(long id, int account, int instrument, Side side, bool market, bool anyPrice, long price, long quantity,
        TimeInForce tif, bool postOnly, SelfTradePrevention stp)
    {
        long eventPrice = market ? 0 : price;
        bool Crosses(ModelOrder maker) => anyPrice || (side == Side.Buy ? maker.Price <= price : maker.Price >= price);
        List<ModelOrder> CrossingQueue()
            => InPriority(_resting.Where(o => o.Instrument == instrument && o.Side != side && Crosses(o)), side.Opposite()).ToList();

        if (postOnly && CrossingQueue().Count > 0)
        {
            EmitCanceled(id, account, instrument, side, eventPrice, quantity, CancelReason.PostOnlyWouldCross);
            return;
        }
        if (tif == TimeInForce.Fok && !FokCanFill(CrossingQueue(), account, quantity, stp))
        {
            EmitCanceled(id, account, instrument, side, eventPrice, quantity, CancelReason.FokUnfilled);
            return;
        }

        long remaining = quantity;
        bool stoppedBySelfTrade = false;
        while (remaining > 0)
        {
            var maker = CrossingQueue().FirstOrDefault();
            if (maker is null) break;
            if (stp != SelfTradePrevention.None && maker.Account == account)
            {
                if (stp == SelfTradePrevention.CancelTaker) { stoppedBySelfTrade = true; break; }
                EmitCanceled(maker.Id, maker.Account, instrument, maker.Side, maker.Price, maker.Remaining, CancelReason.SelfTrade);
                _resting.Remove(maker);
                if (stp == SelfTradePrevention.CancelBoth) { stoppedBySelfTrade = true; break; }
                continue;
            }
            long fill = Math.Min(remaining, maker.Remaining);
            remaining -= fill;
            maker.Remaining -= fill;
            _events.Add(new EngineEvent
            {
                Kind = EventKind.Trade, Instrument = instrument, Price = maker.Price, Quantity = fill,
                OrderId = id, Account = account, Side = side, Remaining = remaining,
                MakerOrderId = maker.Id, MakerAccount = maker.Account, MakerRemaining = maker.Remaining,
            });
            if (maker.Remaining == 0) _resting.Remove(maker);
        }

        if (remaining == 0) return;
        CancelReason reason =
            stoppedBySelfTrade ? CancelReason.SelfTrade
            : market ? (tif == TimeInForce.Fok ? CancelReason.FokUnfilled
                : _resting.Any(o => o.Instrument == instrument && o.Side != side) ? CancelReason.PriceBand
                : CancelReason.MarketNoLiquidity)
            : tif == TimeInForce.Ioc ? CancelReason.IocRemainder
            : tif == TimeInForce.Fok ? CancelReason.FokUnfilled
            : CancelReason.None;
        if (reason != CancelReason.None)
        {
            EmitCanceled(id, account, instrument, side, eventPrice, remaining, reason);
            return;
        }
        _resting.Add(new ModelOrder
        {
            Id = id, Account = account, Instrument = instrument, Side = side, Price = price, Remaining = remaining,
            PostOnly = postOnly, Stp = stp, Arrival = ++_arrivals,
        });
    }

    /// <summary>Walks the crossing queue as matching would: own orders are skipped (cancel_maker) or end the walk.</summary>
    private static bool FokCanFill(List<ModelOrder> queue, int account, long quantity, SelfTradePrevention stp)
    {
        long available = 0;
        foreach (var maker in queue)
        {
            if (stp != SelfTradePrevention.None && maker.Account == account)
            {
                if (stp == SelfTradePrevention.CancelMaker) continue;
                return false;
            }
            available += maker.Remaining;
            if (available >= quantity) return true;
        }
        return false;
    }

    // ---- helpers ----

    /// <summary>Priority order of resting orders of side <paramref name="restingSide"/>: best price, then arrival.</summary>
    private static IEnumerable<ModelOrder> InPriority(IEnumerable<ModelOrder> orders, Side restingSide)
        => (restingSide == Side.Buy ? orders.OrderByDescending(o => o.Price) : orders.OrderBy(o => o.Price))
            .ThenBy(o => o.Arrival);

    private ModelOrder? FindOwned(OrderCommand cmd)
        => _resting.FirstOrDefault(o => o.Id == cmd.OrderId && o.Account == cmd.Account && o.Instrument == cmd.Instrument);

    private static bool PriceOk(long price) => price > 0 && price <= Instrument.MaxPriceTicks;

    private static bool QuantityOk(long qty) => qty > 0 && qty <= Instrument.MaxQuantityLots;

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
