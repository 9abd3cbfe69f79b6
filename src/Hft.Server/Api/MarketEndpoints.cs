using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hft.Auth;
using Hft.Core.Book;
using Hft.Core.Instruments;
using Hft.Pipeline;
using Hft.Pipeline.Shards;
using Hft.Pipeline.State;
using Hft.Server.Cache;
using Hft.Server.MarketData;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.Api;

/// <summary>
/// Public market data: <c>GET /api/v1/book/{symbol}?depth=</c>, <c>/ticker/{symbol}</c>, <c>/trades/{symbol}</c>,
/// <c>/instruments</c>, each limited per client address (<see cref="PublicReadLimit"/>). L2 books and tickers are served
/// through the market-data cache (<c>[redis] cache_ttl_ms</c>): they may be that much older than the book; L3
/// (<c>?level=3</c>, entitled callers only, <see cref="Level3Access"/>) and <c>/debug/orderbook</c> are always read fresh.
/// </summary>
public static class MarketEndpoints
{
    public const int MaxDepth = 1000;

    /// <summary>Levels of one level 3 answer: each carries its orders, so fewer than level 2's.</summary>
    public const int MaxLevel3Depth = 100;

    /// <summary>Orders of each side in one level 3 answer (best first); <c>truncated</c> says when there were more.</summary>
    public const int MaxLevel3Orders = 1000;

    public static void MapMarketEndpoints(this IEndpointRouteBuilder app)
    {
        var limit = app.ServiceProvider.GetRequiredService<PublicReadLimit>();
        var reads = app.MapGroup("/api/v1").AddEndpointFilter(limit.Filter);
        reads.MapGet("/book/{symbol}", CachedBook);
        reads.MapGet("/ticker/{symbol}", Ticker);
        reads.MapGet("/trades/{symbol}", Trades);
        reads.MapGet("/instruments", Instruments);
    }

    /// <summary>L2 (and L3 with <paramref name="level"/> = 3, naming every order's owner) of a book, taken on its shard thread: the operator's view.</summary>
    public static Task<IResult> Book(string symbol, TradingPipeline pipeline, int? depth, int? level)
        => BookFor(symbol, pipeline, depth, level, OrderOwnerView.Operator);

    private static async Task<IResult> BookFor(string symbol, TradingPipeline pipeline, int? depth, int? level, OrderOwnerView owners)
    {
        var (body, error) = await BookBody(symbol, pipeline, depth, level, owners);
        return error ?? Results.Json(body);
    }

    /// <summary>
    /// <see cref="Book"/> for the public route: L2 answers come from the cache when fresh enough; L3 only for an entitled
    /// caller (401 without a token, 403 for an account not entitled), with owners shown by <see cref="OrderOwnerView"/>.
    /// </summary>
    public static async Task<IResult> CachedBook(string symbol, TradingPipeline pipeline, MarketCacheReader cache, Level3Access level3, int? depth, int? level,
        HttpContext http)
    {
        if (level == 3) return Level3Viewer(http.User, pipeline, level3, out var owners) is { } refused ? refused : await BookFor(symbol, pipeline, depth, level, owners);
        if (!cache.Enabled || !pipeline.Instruments.TryGet(symbol, out var inst) || depth is < 1 or > MaxDepth || level is not (null or 2))
            return await BookFor(symbol, pipeline, depth, level, OrderOwnerView.Operator);
        string key = $"book:{inst.Symbol}:{depth ?? 50}";
        if (await cache.TryGetAsync(key, http.RequestAborted) is { } hit) return Results.Bytes(hit, "application/json");
        var (body, error) = await BookBody(symbol, pipeline, depth, level, OrderOwnerView.Operator);
        if (error is not null) return error;
        var json = JsonSerializer.SerializeToUtf8Bytes(body!, body!.GetType(), JsonSerializerOptions.Web);
        cache.Store(key, json);
        return Results.Bytes(json, "application/json");
    }

    /// <summary>The view of level 3 the caller may have, or its refusal.</summary>
    private static IResult? Level3Viewer(ClaimsPrincipal user, TradingPipeline pipeline, Level3Access level3, out OrderOwnerView owners)
    {
        owners = default;
        if (user.Identity?.IsAuthenticated != true)
            return ApiError.Result(StatusCodes.Status401Unauthorized, "unauthorized", "level 3 (order by order) needs a bearer token of an entitled account");
        string account = TokenService.AccountOf(user) ?? "";
        if (!level3.IsEntitled(user))
            return ApiError.Result(StatusCodes.Status403Forbidden, "forbidden", $"account '{account}' is not entitled to level 3 ({Level3Access.Entitlement})");
        owners = TokenService.IsAdmin(user) ? OrderOwnerView.Operator : OrderOwnerView.Trader(pipeline.Accounts.TryGet(account, out int id) ? id : -1);
        return null;
    }

    private static async Task<(object? Body, IResult? Error)> BookBody(string symbol, TradingPipeline pipeline, int? depth, int? level, OrderOwnerView owners)
    {
        if (!pipeline.Instruments.TryGet(symbol, out var inst)) return (null, ApiError.NotFound("unknown_symbol", $"unknown symbol '{symbol}'"));
        int d = depth ?? 50;
        if (level is not (null or 2 or 3)) return (null, ApiError.BadRequest("invalid_request", "level must be 2 or 3"));
        int maxDepth = level == 3 ? MaxLevel3Depth : MaxDepth;
        if (d < 1 || d > maxDepth) return (null, ApiError.BadRequest("invalid_request", $"depth must be between 1 and {maxDepth}{(level == 3 ? " for level 3" : "")}"));
        var query = new BookSnapshotQuery(inst.Index, d, level == 3 ? MaxLevel3Orders : 0);
        if (!pipeline.Query(pipeline.ShardOf(inst.Index).Index, query))
            return (null, ApiError.Result(StatusCodes.Status503ServiceUnavailable, "overloaded", "the matching queue is full; retry"));
        var snap = await query.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var risk = pipeline.RiskBook.Instrument(inst.Index)!;
        if (level != 3)
            return (new { symbol = inst.Symbol, halted = risk.Halted, bids = Levels(snap.Bids, inst), asks = Levels(snap.Asks, inst), bidOrders = (object?)null, askOrders = (object?)null }, null);
        return (new
        {
            symbol = inst.Symbol,
            halted = risk.Halted,
            bids = Levels(snap.Bids, inst),
            asks = Levels(snap.Asks, inst),
            bidOrders = Orders(snap.BidOrders, inst, pipeline, owners),
            askOrders = Orders(snap.AskOrders, inst, pipeline, owners),
            truncated = snap.Truncated,
        }, null);
    }
    /// <summary>
    /// Best bid and ask (price and quantity), last trade, mark, halt state and the last 24 h of public trades (the
    /// WebSocket ticker's window, <see cref="MarketDataPublisher.Day"/>) of one instrument; cached like L2.
    /// </summary>
    public static async Task<IResult> Ticker(string symbol, TradingPipeline pipeline, MarketCacheReader cache, MarketDataPublisher marketData, HttpContext http)
    {
        if (!pipeline.Instruments.TryGet(symbol, out var inst)) return ApiError.NotFound("unknown_symbol", $"unknown symbol '{symbol}'");
        string key = $"ticker:{inst.Symbol}";
        if (cache.Enabled && await cache.TryGetAsync(key, http.RequestAborted) is { } hit) return Results.Bytes(hit, "application/json");
        var query = new BookSnapshotQuery(inst.Index, 1);
        if (!pipeline.Query(pipeline.ShardOf(inst.Index).Index, query))
            return ApiError.Result(StatusCodes.Status503ServiceUnavailable, "overloaded", "the matching queue is full; retry");
        var snap = await query.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var risk = pipeline.RiskBook.Instrument(inst.Index)!;
        var day = marketData.Day(inst.Index);
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
            volume24h = inst.FormatQuantity(day.Volume),
            open24h = day.PriceText(inst, day.Open),
            high24h = day.PriceText(inst, day.High),
            low24h = day.PriceText(inst, day.Low),
            time = DateTimeOffset.UtcNow,
        }, JsonSerializerOptions.Web);
        if (cache.Enabled) cache.Store(key, json);
        return Results.Bytes(json, "application/json");
    }

    private static object[][] Levels(LevelView[] levels, Instrument inst)
        => levels.Select(l => new object[] { inst.FormatPrice(l.Price), inst.FormatQuantity(l.Quantity), l.OrderCount }).ToArray();

    private static Level3Order[] Orders(OrderView[] orders, Instrument inst, TradingPipeline pipeline, OrderOwnerView owners)
        => orders.Select(o => new Level3Order(o.OrderId, inst.FormatPrice(o.Price), inst.FormatQuantity(o.Remaining),
            owners.ShowsOwners ? pipeline.Accounts.Name(o.Account) : null, owners.ShowsOwners ? null : o.Account == owners.Viewer)).ToArray();

    /// <summary>One order of a level 3 answer: <c>account</c> for operators, <c>own</c> for an entitled trader (<see cref="OrderOwnerView"/>).</summary>
    private sealed record Level3Order(long Id, string Price, string Qty,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Account,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Own);

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
