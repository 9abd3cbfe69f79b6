using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Gateways.Fix;

/// <summary>A cancel or replace request of the session waiting for the engine's answer (FIFO per order).</summary>
internal readonly record struct PendingRequest(CommandOp Op, string ClOrdId, string OrigClOrdId);

/// <summary>
/// One order entered through a FIX session: its identifiers and the running totals its execution reports carry.
/// Created by the reader (NewOrderSingle); the totals are written only by the session's report writer thread, in
/// event order; pending cancel/replace requests are queued by the reader and taken by the writer under the lock.
/// </summary>
internal sealed class FixOrder
{
    public required long OrderId { get; init; }
    public required string Symbol { get; init; }
    public required Instrument Instrument { get; init; }
    public required Side Side { get; init; }
    public required OrderType Type { get; init; }
    public required TimeInForce Tif { get; init; }

    /// <summary>The ClOrdID that currently names the order (a replace gives it a new one).</summary>
    public string ClOrdId { get; set; } = "";

    public long OrderQty { get; set; }
    public long Price { get; set; }
    public long Cum { get; set; }

    /// <summary>Σ fill price (ticks) × fill quantity (lots), for AvgPx.</summary>
    public Int128 Notional { get; set; }

    public long Leaves { get; set; }

    /// <summary>OrdStatus (39) as last reported.</summary>
    public byte Status { get; set; } = (byte)'A'; // pending new

    public bool Done { get; set; }

    private readonly Queue<PendingRequest> _pending = new();

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
