using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Orders;
using Hft.Pipeline;
using Hft.Pipeline.State;

namespace Hft.Server.Api;

/// <summary>One fill of an order, as returned by the API.</summary>
public sealed record FillView(string Price, string Qty, long MakerOrderId, long TakerOrderId, string Liquidity);

/// <summary>An order as returned by the API (acks and queries); decimals as plain decimal strings.</summary>
public sealed record OrderResponse(
    long Id, string? ClientOrderId, string Symbol, string Side, string Type, string Tif, string? Price, string Qty,
    string FilledQty, string RemainingQty, string Status, string? Reason, bool PostOnly, string Stp, DateTimeOffset CreatedAt,
    IReadOnlyList<FillView>? Fills, string? TriggerPrice = null, string? DisplayQty = null, string? VisibleQty = null,
    DateTimeOffset? ExpireTime = null)
{
    /// <summary>The order as it is now, or as <paramref name="state"/> captured it (acknowledgments).</summary>
    public static OrderResponse Of(OrderRecord r, Instrument inst, IReadOnlyList<FillView>? fills = null, OrderState? state = null)
    {
        var s = state ?? r.Capture();
        return new OrderResponse(r.Id, r.ClientOrderId, inst.Symbol, SideName(r.Side), TypeName(r.Type),
            TifName(r.Tif), r.Type.HasLimitPrice() ? inst.FormatPrice(s.Price) : null, inst.FormatQuantity(s.Quantity),
            inst.FormatQuantity(s.Filled), inst.FormatQuantity(s.Remaining), OrderRecord.StatusName(s.Status), s.Reason,
            r.PostOnly, StpName(r.Stp), r.CreatedAt, fills,
            r.TriggerPrice != 0 ? inst.FormatPrice(r.TriggerPrice) : null,
            r.DisplayQuantity != 0 ? inst.FormatQuantity(r.DisplayQuantity) : null,
            inst.FormatQuantity(VisibleQuantity(r, s)),
            r.ExpireTime != 0 ? DateTimeOffset.UnixEpoch.AddTicks(r.ExpireTime / 100) : null);
    }

    /// <summary>The fills of order <paramref name="orderId"/> among a command's events.</summary>
    public static List<FillView> FillsOf(long orderId, EngineEvent[] events, Instrument inst)
    {
        var fills = new List<FillView>();
        foreach (var e in events)
        {
            if (e.Kind != EventKind.Trade || (e.OrderId != orderId && e.MakerOrderId != orderId)) continue;
            fills.Add(new FillView(inst.FormatPrice(e.Price), inst.FormatQuantity(e.Quantity), e.MakerOrderId, e.OrderId,
                e.OrderId == orderId ? "taker" : "maker"));
        }
        return fills;
    }

    public static string SideName(Hft.Core.Orders.Side s) => s == Hft.Core.Orders.Side.Buy ? "buy" : "sell";

    public static string TifName(TimeInForce t) => OrderRequestParser.TifNames[t.IsKnown() ? (int)t - 1 : 0];

    public static string TypeName(OrderType t) => OrderRequestParser.TypeNames[t.IsKnown() ? (int)t - 1 : 0];

    /// <summary>
    /// What the book shows of the remaining quantity: nothing while a stop waits for its trigger or once the order is
    /// done, at most the slice for an iceberg (its slice size: the fill state of the current slice is the book's).
    /// </summary>
    public static long VisibleQuantity(OrderRecord r, OrderState s)
        => s.Status is OrderStatus.PendingTrigger || !(s.Status is OrderStatus.New or OrderStatus.PartiallyFilled or OrderStatus.Triggered) ? 0
            : r.DisplayQuantity > 0 ? Math.Min(r.DisplayQuantity, s.Remaining) : s.Remaining;

    public static string StpName(SelfTradePrevention s) => s switch
    {
        SelfTradePrevention.CancelTaker => "cancel_taker",
        SelfTradePrevention.CancelMaker => "cancel_maker",
        SelfTradePrevention.CancelBoth => "cancel_both",
        _ => "none",
    };
}
