using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Orders;

namespace Hft.Core.Matching;

/// <summary>
/// Stop and take-profit orders. A pending order waits off-book in its instrument's <see cref="StopBook"/> and fires
/// on the instrument's last trade price, trade by trade in trade order. The orders one trade fires enter in
/// trigger-price priority, then arrival. A fired order enters matching like a new order (a market-priced one as
/// immediate-or-cancel, with the price-band limit risk gave it at entry); its own trades may fire further stops,
/// which queue behind the ones already fired (breadth first).
/// <para>Cascade bound: an order fires at most once and leaves the pending set when it does, so one command releases
/// at most as many orders as the instrument had pending when it began; each release is one bounded matching run.
/// No other limit applies, so no stop is left pending while its trigger is reached.</para>
/// </summary>
public sealed partial class MatchingEngine
{
    private void Park(int instrument, in OrderCommand cmd)
    {
        var terms = new OrderTerms
        {
            TriggerPrice = cmd.TriggerPrice, DisplayQuantity = cmd.DisplayQuantity, ExpireTime = cmd.ExpireTime,
            Type = cmd.Type, Tif = cmd.Tif,
        };
        long price = cmd.Type.HasLimitPrice() || cmd.HasPrice ? cmd.Price : AnyPrice(cmd.Side);
        var flags = OrderFlags.Pending | (cmd.Tif == TimeInForce.Gtd ? OrderFlags.Expires : 0);
        AddPending(instrument, cmd.OrderId, cmd.Account, cmd.Side, price, cmd.Quantity, cmd.PostOnly, cmd.Stp, flags, in terms);
    }

    /// <summary>
    /// Fills a slot for a pending order (a new stop, or one a snapshot restores) and queues it in its instrument's stops
    /// behind the orders pending at its trigger price. The id must already be reserved in the id index.
    /// </summary>
    private void AddPending(int instrument, long id, int account, Side side, long price, long remaining, bool postOnly,
        SelfTradePrevention stp, OrderFlags flags, in OrderTerms terms)
    {
        int slot = _orders.Allocate();
        ref var o = ref _orders[slot];
        o.Id = id;
        o.Account = account;
        o.Instrument = instrument;
        o.Side = side;
        o.Price = price;
        o.Remaining = remaining;
        o.PostOnly = postOnly;
        o.Stp = stp;
        o.Level = -1;
        o.Flags = flags;
        o.Sequence = ++_sequence;
        _orders.Terms(slot) = terms;
        _ids.Update(id, slot);
        LinkToAccount(slot, account);
        _stops[instrument]!.Add(slot, terms.Type.TriggersOnRise(side));
    }

    /// <summary>Feeds the trades from event <paramref name="firstEvent"/> on to the stops, releasing what they fire.</summary>
    private void FireStops(OrderBook book, int firstEvent)
    {
        var stops = _stops[book.Instrument.Index]!;
        int cursor = firstEvent;
        while (true)
        {
            for (; cursor < _events.Count; cursor++)
            {
                ref readonly var e = ref _events.At(cursor);
                if (e.Kind == EventKind.Trade) stops.Fire(e.Price, _fired);
            }
            if (_fired.IsEmpty) return;
            Release(book, _fired.Dequeue());
        }
    }

    /// <summary>A fired order leaves its slot and enters matching with the terms it was given.</summary>
    private void Release(OrderBook book, int slot)
    {
        ref var o = ref _orders[slot];
        ref var terms = ref _orders.Terms(slot);
        bool market = !terms.Type.HasLimitPrice();
        var entry = new Entry
        {
            Id = o.Id, Account = o.Account, Side = o.Side, Limit = o.Price, Quantity = o.Remaining, Market = market,
            Tif = market ? terms.Tif.ForMarket() : terms.Tif, PostOnly = o.PostOnly, Stp = o.Stp,
            DisplayQuantity = terms.DisplayQuantity, ExpireTime = terms.ExpireTime,
        };
        ref var ev = ref AddOrderEvent(EventKind.Triggered, slot);
        ev.Price = entry.EventPrice;
        ev.Quantity = o.Remaining;
        Forget(slot);
        Execute(book, in entry);
    }

    /// <summary>
    /// Replace of a pending stop: quantity, limit price (types with a limit) and trigger price (when given). It keeps its
    /// trigger priority when the trigger price is unchanged and the quantity does not grow; otherwise it queues behind
    /// the orders pending at its trigger price.
    /// </summary>
    private void ReplaceStop(int slot, in OrderCommand cmd)
    {
        ref var o = ref _orders[slot];
        ref var terms = ref _orders.Terms(slot);
        long trigger = cmd.TriggerPrice != 0 ? cmd.TriggerPrice : terms.TriggerPrice;
        if (terms.Type.HasLimitPrice() && cmd.HasPrice) o.Price = cmd.Price;
        if (trigger == terms.TriggerPrice && cmd.Quantity <= o.Remaining)
        {
            _counters.WithdrawnQuantity += o.Remaining - cmd.Quantity;
            o.Remaining = cmd.Quantity;
        }
        else
        {
            bool onRise = terms.Type.TriggersOnRise(o.Side);
            var stops = _stops[o.Instrument]!;
            stops.Remove(slot, onRise);
            _counters.WithdrawnQuantity += o.Remaining;
            _counters.EnteredQuantity += cmd.Quantity;
            o.Remaining = cmd.Quantity;
            o.Sequence = ++_sequence;
            terms.TriggerPrice = trigger;
            stops.Add(slot, onRise);
        }
        EmitReplaced(slot, cmd.Quantity);
    }
}
