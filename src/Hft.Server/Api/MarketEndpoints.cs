using System.Text.Json;
using Hft.Core.Book;
using Hft.Core.Instruments;
using Hft.Pipeline;
using Hft.Pipeline.Shards;
using Hft.Pipeline.State;
using Hft.Server.Cache;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.Api;

/// <summary>
/// Public market data: <c>GET /api/v1/book/{symbol}?depth=</c>, <c>/ticker/{symbol}</c>, <c>/trades/{symbol}</c>,
/// <c>/instruments</c>. L2 books and tickers are served through the market-data cache (<c>[redis] cache_ttl_ms</c>):
/// they may be that much older than the book; L3 and <c>/debug/orderbook</c> are always read fresh.
/// </summary>
public static class MarketEndpoints
{
    public const int MaxDepth = 1000;

    public static void MapMarketEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/book/{symbol}", CachedBook);
        app.MapGet("/api/v1/ticker/{symbol}", Ticker);
        app.MapGet("/api/v1/trades/{symbol}", Trades);
        app.MapGet("/api/v1/instruments", Instruments);
    }

    /// <summary>L2 (and L3 with <paramref name="level"/> = 3) of a book, taken on its shard thread.</summary>
    public static async Task<IResult> Book(string symbol, TradingPipeline pipeline, int? depth, int? level)
    {
        var (body, error) = await BookBody(symbol, pipeline, depth, level);
        return error ?? Results.Json(body);
    }

    /// <summary><see cref="Book"/> for the public route: L2 answers come from the cache when fresh enough.</summary>
    public static async Task<IResult> CachedBook(string symbol, TradingPipeline pipeline, MarketCacheReader cache, int? depth, int? level,
        HttpContext http)
    {
        if (level == 3 || !cache.Enabled || !pipeline.Instruments.TryGet(symbol, out var inst) || depth is < 1 or > MaxDepth || level is not (null or 2))
            return await Book(symbol, pipeline, depth, level);
        string key = $"book:{inst.Symbol}:{depth ?? 50}";
        if (await cache.TryGetAsync(key, http.RequestAborted) is { } hit) return Results.Bytes(hit, "application/json");
        var (body, error) = await BookBody(symbol, pipeline, depth, level);
        if (error is not null) return error;
        var json = JsonSerializer.SerializeToUtf8Bytes(body!, body!.GetType(), JsonSerializerOptions.Web);
        cache.Store(key, json);
        return Results.Bytes(json, "application/json");
    }

    private static async Task<(object? Body, IResult? Error)> BookBody(string symbol, TradingPipeline pipeline, int? depth, int? level)
    {
        if (!pipeline.Instruments.TryGet(symbol, out var inst)) return (null, ApiError.NotFound("unknown_symbol", $"unknown symbol '{symbol}'"));
        int d = depth ?? 50;
        if (d is < 1 or > MaxDepth) return (null, ApiError.BadRequest("invalid_request", $"depth must be between 1 and {MaxDepth}"));
        if (level is not (null or 2 or 3)) return (null, ApiError.BadRequest("invalid_request", "level must be 2 or 3"));
        var query = new BookSnapshotQuery(inst.Index, d, level == 3);
        if (!pipeline.Query(pipeline.ShardOf(inst.Index).Index, query))
            return (null, ApiError.Result(StatusCodes.Status503ServiceUnavailable, "overloaded", "the matching queue is full; retry"));
        var snap = await query.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var risk = pipeline.RiskBook.Instrument(inst.Index)!;
        return (new
        {
            symbol = inst.Symbol,
            halted = risk.Halted,
            bids = Levels(snap.Bids, inst),
            asks = Levels(snap.Asks, inst),
            bidOrders = level == 3 ? Orders(snap.BidOrders, inst, pipeline) : null,
            askOrders = level == 3 ? Orders(snap.AskOrders, inst, pipeline) : null,
        }, null);
    }

    /// <summary>Best bid and ask (price and quantity), last trade, mark and halt state of one instrument; cached like L2.</summary>
    public static async Task<IResult> Ticker(string symbol, TradingPipeline pipeline, MarketCacheReader cache, HttpContext http)
    {
        if (!pipeline.Instruments.TryGet(symbol, out var inst)) return ApiError.NotFound("unknown_symbol", $"unknown symbol '{symbol}'");
        string key = $"ticker:{inst.Symbol}";
        if (cache.Enabled && await cache.TryGetAsync(key, http.RequestAborted) is { } hit) return Results.Bytes(hit, "application/json");
        var query = new BookSnapshotQuery(inst.Index, 1, false);
        if (!pipeline.Query(pipeline.ShardOf(inst.Index).Index, query))
            return ApiError.Result(StatusCodes.Status503ServiceUnavailable, "overloaded", "the matching queue is full; retry");
        var snap = await query.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var risk = pipeline.RiskBook.Instrument(inst.Index)!;
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            symbol = inst.Symbol,
            bid = snap.Bids.Length > 0 ? inst.FormatPrice(snap.Bids[0].Price) : null,
            bidQty = snap.Bids.Length > 0 ? inst.FormatQuantity(snap.Bids[0].Quantity) : null,
            ask = snap.Asks.Length > 0 ? inst.FormatPrice(snap.Asks[0].Price) : null,
            askQty = snap.Asks.Length > 0 ? inst.FormatQuantity(snap.Asks[0].Quantity) : null,
            last = risk.LastTrade == 0 ? null : inst.FormatPrice(risk.LastTrade),
            mark = risk.Mark == 0 ? null : inst.FormatPrice(risk.Mark),
            halted = risk.Halted,
            time = DateTimeOffset.UtcNow,
        }, JsonSerializerOptions.Web);
        if (cache.Enabled) cache.Store(key, json);
        return Results.Bytes(json, "application/json");
    }

    private static object[][] Levels(LevelView[] levels, Instrument inst)
        => levels.Select(l => new object[] { inst.FormatPrice(l.Price), inst.FormatQuantity(l.Quantity), l.OrderCount }).ToArray();

    private static object[] Orders(OrderView[] orders, Instrument inst, TradingPipeline pipeline)
        => orders.Select(o => (object)new
        {
            id = o.OrderId, account = pipeline.Accounts.Name(o.Account), price = inst.FormatPrice(o.Price), qty = inst.FormatQuantity(o.Remaining),
        }).ToArray();

    private static IResult Trades(string symbol, TradingPipeline pipeline, TradeTape tape, int? limit)
    {
        if (!pipeline.Instruments.TryGet(symbol, out var inst)) return ApiError.NotFound("unknown_symbol", $"unknown symbol '{symbol}'");
        int n = Math.Clamp(limit ?? 100, 1, 1000);
        return Results.Json(tape.ForSymbol(inst.Index, n).Select(t => new
        {
            tradeId = t.TradeId, symbol = inst.Symbol, price = inst.FormatPrice(t.Price), qty = inst.FormatQuantity(t.Quantity),
            takerSide = OrderResponse.SideName(t.TakerSide), time = t.Time,
        }));
    }

    private static IResult Instruments(TradingPipeline pipeline)
        => Results.Json(pipeline.Instruments.All.Select(i =>
        {
            var risk = pipeline.RiskBook.Instrument(i.Index)!;
            return new
            {
                symbol = i.Symbol, tick = i.Tick.ToString(), lot = i.Lot.ToString(), priceBandPct = risk.BandPct?.ToString(),
                mark = risk.Mark == 0 ? null : i.FormatPrice(risk.Mark), last = risk.LastTrade == 0 ? null : i.FormatPrice(risk.LastTrade),
                halted = risk.Halted,
            };
        }));
}
