using Hft.Auth;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Hft.Risk;
using Hft.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.Api;

/// <summary>The caller's own state: <c>GET /api/v1/positions</c>, <c>/account</c>, <c>/trades</c>.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").RequireAuthorization(AuthSetup.TraderPolicy);
        group.MapGet("/positions", Positions);
        group.MapGet("/account", Account);
        group.MapGet("/trades", OwnTrades);
    }

    private static IResult Positions(HttpContext http, TradingPipeline pipeline, RequestAccount caller)
    {
        if (!caller.TryResolve(http, out int account, out var denied)) return denied!;
        return Results.Json(PositionsOf(pipeline, account));
    }

    public static List<object> PositionsOf(TradingPipeline pipeline, int account)
    {
        var list = new List<object>();
        foreach (var inst in pipeline.Instruments.All)
            if (PositionOf(pipeline, account, inst) is { } p) list.Add(p);
        return list;
    }

    /// <summary>One position as GET /positions shows it (null when the account never had one in the instrument).</summary>
    public static object? PositionOf(TradingPipeline pipeline, int account, Hft.Core.Instruments.Instrument inst)
    {
        var risk = pipeline.RiskBook.Account(account);
        lock (risk.Sync)
        {
            if (inst.Index >= risk.InstrumentCapacity) return null;
            ref var p = ref risk.Position(inst.Index);
            if (!p.Active) return null;
            var ri = pipeline.RiskBook.Instrument(inst.Index)!;
            return new
            {
                symbol = inst.Symbol,
                qty = inst.FormatQuantity(p.Position),
                avgPrice = p.Position == 0 ? "0" : Hft.Core.Numerics.Amount.FormatRatio(p.Cost.Raw, (Int128)p.Position * ri.LotUnit, 10),
                realizedPnl = p.Realized.ToString(),
                unrealizedPnl = p.Unrealized(ri.ValuationPrice, ri.NotionalUnit).ToString(),
                fees = p.Fees.ToString(),
                openBuyQty = inst.FormatQuantity(p.OpenBuy),
                openSellQty = inst.FormatQuantity(p.OpenSell),
            };
        }
    }

    private static IResult Account(HttpContext http, TradingPipeline pipeline, RequestAccount caller)
    {
        if (!caller.TryResolve(http, out int account, out var denied)) return denied!;
        return Results.Json(AccountSummary(pipeline, account));
    }

    public static object AccountSummary(TradingPipeline pipeline, int account)
    {
        var risk = pipeline.RiskBook.Account(account);
        var stage = pipeline.Shards[0].Risk;
        lock (risk.Sync)
        {
            var realized = Hft.Core.Numerics.Amount.Zero;
            var unrealized = Hft.Core.Numerics.Amount.Zero;
            var fees = Hft.Core.Numerics.Amount.Zero;
            foreach (var inst in pipeline.Instruments.All)
            {
                if (inst.Index >= risk.InstrumentCapacity) continue;
                ref var p = ref risk.Position(inst.Index);
                var ri = pipeline.RiskBook.Instrument(inst.Index)!;
                realized += p.Realized;
                unrealized += p.Unrealized(ri.ValuationPrice, ri.NotionalUnit);
                fees += p.Fees;
            }
            var l = risk.Limits;
            return new
            {
                account = pipeline.Accounts.Name(account),
                enabled = risk.Enabled,
                exposure = stage.Exposure(risk).ToString(),
                utilization = stage.Utilization(risk),
                openOrders = risk.OpenOrders,
                realizedPnl = realized.ToString(),
                unrealizedPnl = unrealized.ToString(),
                fees = fees.ToString(),
                limits = new
                {
                    credit = l.Credit?.ToString(), maxOrderQty = l.MaxOrderQty?.ToString(), maxOrderNotional = l.MaxOrderNotional?.ToString(),
                    maxPosition = l.MaxPosition?.ToString(), maxOpenOrders = l.MaxOpenOrders,
                    makerFeeBps = l.MakerFeeBps.ToString(), takerFeeBps = l.TakerFeeBps.ToString(),
                },
            };
        }
    }

    private static IResult OwnTrades(HttpContext http, TradingPipeline pipeline, TradeTape tape, RequestAccount caller, int? limit)
    {
        if (!caller.TryResolve(http, out int account, out var denied)) return denied!;
        int n = Math.Clamp(limit ?? 100, 1, 1000);
        return Results.Json(tape.ForAccount(account, n).Select(t =>
        {
            var inst = pipeline.Instruments[t.Instrument];
            bool taker = t.TakerAccount == account;
            var side = taker ? t.TakerSide : (t.TakerSide == Hft.Core.Orders.Side.Buy ? Hft.Core.Orders.Side.Sell : Hft.Core.Orders.Side.Buy);
            return new
            {
                tradeId = t.TradeId, symbol = inst.Symbol, orderId = taker ? t.TakerOrderId : t.MakerOrderId, side = OrderResponse.SideName(side),
                price = inst.FormatPrice(t.Price), qty = inst.FormatQuantity(t.Quantity), liquidity = taker ? "taker" : "maker", time = t.Time,
            };
        }));
    }
}
