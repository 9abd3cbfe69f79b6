using Hft.Core.Events;
using Hft.Core.Orders;

namespace Hft.Core.Matching;

public sealed partial class MatchingEngine
{
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

    /// <summary>Cancels a live order whole: its total remaining (displayed and hidden) at the price it shows.</summary>
    private void EmitCanceled(int slot, CancelReason reason)
    {
        ref var o = ref _orders[slot];
        EmitCanceled(o.Id, o.Account, o.Instrument, o.Side, ShownPrice(slot), _orders.TotalRemaining(slot), reason);
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

    private void EmitReplaced(int slot, long quantity)
    {
        ref var e = ref AddOrderEvent(EventKind.Replaced, slot);
        e.Op = CommandOp.Replace;
        e.Price = ShownPrice(slot);
        e.Quantity = quantity;
    }

    /// <summary>An event about the live order in <paramref name="slot"/>: its id, account, instrument and side filled in.</summary>
    private ref EngineEvent AddOrderEvent(EventKind kind, int slot)
    {
        ref var o = ref _orders[slot];
        ref var e = ref _events.Add(kind);
        e.OrderId = o.Id;
        e.Account = o.Account;
        e.Instrument = o.Instrument;
        e.Side = o.Side;
        return ref e;
    }
}
