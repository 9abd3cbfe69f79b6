using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Gateways.Fix;

/// <summary>A cancel or replace request of the session waiting for the engine's answer (FIFO per order).</summary>
internal readonly record struct PendingRequest(CommandOp Op, string ClOrdId, string OrigClOrdId);

/// <summary>
/// One order entered through a FIX session: its identifiers and the running totals its execution reports carry.
/// Taken from the session's <see cref="FixOrderBook"/> by the reader (NewOrderSingle) and given back to it long after
/// it finished; the totals are written only by the thread turning the session's events into reports, in event
/// order; pending cancel/replace requests are queued by the reader and taken by that thread under the lock.
/// </summary>
internal sealed class FixOrder
{
    public long OrderId { get; private set; }
    public Instrument Instrument { get; private set; } = null!;
    public string Symbol => Instrument.Symbol;
    public Side Side { get; private set; }
    public OrderType Type { get; private set; }
    public TimeInForce Tif { get; private set; }

    /// <summary>The ClOrdID that currently names the order (a replace gives it a new one).</summary>
    public string ClOrdId { get; set; } = "";

    /// <summary>ClOrdIDs that named the order before its replaces (a late request may still use one).</summary>
    public List<string> FormerClOrdIds { get; } = new(0);

    public long OrderQty { get; set; }
    public long Price { get; set; }

    /// <summary>StopPx (99) of a stop or take-profit type in ticks: its trigger price, as last replaced (0 for other types).</summary>
    public long StopPx { get; set; }

    public long Cum { get; set; }

    /// <summary>Σ fill price (ticks) × fill quantity (lots), for AvgPx.</summary>
    public Int128 Notional { get; set; }

    public long Leaves { get; set; }

    /// <summary>OrdStatus (39) as last reported.</summary>
    public byte Status { get; set; }

    public bool Done { get; set; }

    private readonly Queue<PendingRequest> _pending = new();

    /// <summary>Makes this (new or recycled) instance the order just entered.</summary>
    public void Init(long orderId, Instrument instrument, Side side, OrderType type, TimeInForce tif, string clOrdId, long quantity, long price,
        long stopPx)
    {
        OrderId = orderId;
        Instrument = instrument;
        Side = side;
        Type = type;
        Tif = tif;
        ClOrdId = clOrdId;
        FormerClOrdIds.Clear();
        OrderQty = quantity;
        Price = price;
        StopPx = stopPx;
        Leaves = quantity;
        Cum = 0;
        Notional = 0;
        Status = (byte)'A'; // pending new
        Done = false;
        lock (_pending) _pending.Clear();
    }

    public void AddPending(in PendingRequest request)
    {
        lock (_pending) _pending.Enqueue(request);
    }

    /// <summary>Takes the oldest pending request of <paramref name="op"/> (requests on one order are processed in order).</summary>
    public bool TryTakePending(CommandOp op, out PendingRequest request)
    {
        lock (_pending)
        {
            int n = _pending.Count;
            for (int i = 0; i < n; i++)
            {
                var r = _pending.Dequeue();
                if (r.Op == op)
                {
                    // keep the rest in order
                    for (int j = i + 1; j < n; j++) _pending.Enqueue(_pending.Dequeue());
                    request = r;
                    return true;
                }
                _pending.Enqueue(r);
            }
        }
        request = default;
        return false;
    }

    /// <summary>Drops the newest pending request (its command was refused before reaching the engine).</summary>
    public void DropLastPending()
    {
        lock (_pending)
        {
            int n = _pending.Count;
            for (int i = 0; i < n - 1; i++) _pending.Enqueue(_pending.Dequeue());
            if (n > 0) _pending.Dequeue();
        }
    }
}
