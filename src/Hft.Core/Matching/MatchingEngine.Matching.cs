using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Orders;

namespace Hft.Core.Matching;

public sealed partial class MatchingEngine
{
    /// <summary>Matches an incoming order against the opposite side, then rests or cancels what is left.</summary>
    private void Execute(OrderBook book, in Entry e)
    {
        var opposite = book.SideOf(e.Side.Opposite());
        int instrument = book.Instrument.Index;
        var side = e.Side;
        long limit = e.Limit;
        var stp = e.Stp;

        if (e.PostOnly && !opposite.IsEmpty && Crosses(side, book.Level(opposite.Best).Price, limit))
        {
            EmitCanceled(e.Id, e.Account, instrument, side, e.EventPrice, e.Quantity, CancelReason.PostOnlyWouldCross);
            return;
        }
        if (e.Tif == TimeInForce.Fok && !CanFillCompletely(book, opposite, e.Account, side, limit, e.Quantity, stp))
        {
            EmitCanceled(e.Id, e.Account, instrument, side, e.EventPrice, e.Quantity, CancelReason.FokUnfilled);
            return;
        }

        long remaining = e.Quantity;
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
                if (stp != SelfTradePrevention.None && maker.Account == e.Account)
                {
                    if (stp == SelfTradePrevention.CancelTaker) { stoppedBySelfTrade = true; break; }
                    EmitCanceled(makerSlot, CancelReason.SelfTrade);
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
                t.OrderId = e.Id;
                t.Account = e.Account;
                t.Side = side;
                t.Remaining = remaining;
                t.MakerOrderId = maker.Id;
                t.MakerAccount = maker.Account;
                t.MakerRemaining = _orders.TotalRemaining(makerSlot);
                if (maker.Remaining == 0)
                {
                    if (t.MakerRemaining > 0) Refresh(book, makerSlot);
                    else Remove(book, makerSlot);
                }
                makerSlot = next;
            }
            if (stoppedBySelfTrade) break;
        }

        if (remaining == 0) return;
        if (stoppedBySelfTrade)
            EmitCanceled(e.Id, e.Account, instrument, side, e.EventPrice, remaining, CancelReason.SelfTrade);
        else if (e.Market)
            EmitCanceled(e.Id, e.Account, instrument, side, e.EventPrice, remaining,
                e.Tif == TimeInForce.Fok ? CancelReason.FokUnfilled
                : opposite.IsEmpty ? CancelReason.MarketNoLiquidity : CancelReason.PriceBand);
        else if (e.Tif == TimeInForce.Ioc)
            EmitCanceled(e.Id, e.Account, instrument, side, e.EventPrice, remaining, CancelReason.IocRemainder);
        else if (e.Tif == TimeInForce.Fok)
            EmitCanceled(e.Id, e.Account, instrument, side, e.EventPrice, remaining, CancelReason.FokUnfilled);
        else
            Rest(book, in e, remaining);
    }

    /// <summary>
    /// FOK pre-check: walks the crossing liquidity in priority order exactly as matching would, skipping
    /// own orders that STP would cancel and stopping where STP would stop the taker. An iceberg's hidden reserve
    /// counts once its level's displayed orders are passed: its refreshed slices queue behind them, and every order
    /// that could stop the taker has been met by then.
    /// </summary>
    private bool CanFillCompletely(OrderBook book, BookSide opposite, int account, Side side, long limit, long quantity,
        SelfTradePrevention stp)
    {
        long needed = quantity;
        for (int rank = 0; rank < opposite.LevelCount; rank++)
        {
            ref var level = ref book.Level(opposite.AtRank(rank));
            if (!Crosses(side, level.Price, limit)) return false;
            long hidden = 0;
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
                hidden += _orders.TotalRemaining(s) - maker.Remaining;
            }
            needed -= hidden;
            if (needed <= 0) return true;
        }
        return false;
    }

    private void Rest(OrderBook book, in Entry e, long quantity)
    {
        int slot = _orders.Allocate();
        ref var o = ref _orders[slot];
        o.Id = e.Id;
        o.Account = e.Account;
        o.Instrument = book.Instrument.Index;
        o.Side = e.Side;
        o.Price = e.Limit;
        o.Remaining = e.DisplayQuantity > 0 ? Math.Min(e.DisplayQuantity, quantity) : quantity;
        o.PostOnly = e.PostOnly;
        o.Stp = e.Stp;
        o.Flags = (e.DisplayQuantity > 0 ? OrderFlags.Iceberg : 0) | (e.ExpireTime > 0 ? OrderFlags.Expires : 0);
        o.Sequence = ++_sequence;
        ref var terms = ref _orders.Terms(slot);
        terms.Hidden = quantity - o.Remaining;
        terms.DisplayQuantity = e.DisplayQuantity;
        terms.ExpireTime = e.ExpireTime;
        terms.Type = OrderType.Limit;
        terms.Tif = e.Tif;
        book.Append(slot);
        _ids.Update(e.Id, slot);
        LinkToAccount(slot, e.Account);
    }

    /// <summary>An iceberg's displayed slice is filled: the next slice comes from the reserve, at the back of the level.</summary>
    private void Refresh(OrderBook book, int slot)
    {
        ref var o = ref _orders[slot];
        ref var terms = ref _orders.Terms(slot);
        long slice = Math.Min(terms.DisplayQuantity, terms.Hidden);
        terms.Hidden -= slice;
        o.Sequence = ++_sequence;
        book.Refresh(slot, slice);
        ref var ev = ref AddOrderEvent(EventKind.Refreshed, slot);
        ev.Price = o.Price;
        ev.Quantity = slice;
        ev.Remaining = slice + terms.Hidden;
    }
}
