using System.Text;
using System.Text.Json;
using Hft.Auth;
using Hft.Auth.Audit;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Pipeline;
using Hft.Pipeline.Monitoring;
using Hft.Risk;
using Hft.Server.Auth;
using Hft.Server.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.Api;

/// <summary>
/// <c>/api/v1/admin</c> (role admin): halt and resume one instrument or all, set a mark price, cancel all orders
/// of an account, disable (kill switch) and enable an account, change its limits, list accounts. Every call,
/// success or failure, writes one line to the <see cref="AuditLog"/> (admin lines are forced to disk).
/// Unknown accounts and symbols are 404 (<c>unknown_account</c>, <c>unknown_symbol</c>), bad input 400.
/// </summary>
public static class AdminEndpoints
{
    private static readonly TimeSpan s_ackTimeout = TimeSpan.FromSeconds(10);

    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin").RequireAuthorization(AuthSetup.AdminPolicy);
        admin.MapPost("/instruments/{symbol}/halt", (string symbol, HttpContext http, TradingPipeline pipeline, AuditLog audit)
            => SetHalted(symbol, true, http, pipeline, audit));
        admin.MapPost("/instruments/{symbol}/resume", (string symbol, HttpContext http, TradingPipeline pipeline, AuditLog audit)
            => SetHalted(symbol, false, http, pipeline, audit));
        admin.MapPost("/halt", (HttpContext http, TradingPipeline pipeline, AuditLog audit) => SetAllHalted(true, http, pipeline, audit));
        admin.MapPost("/resume", (HttpContext http, TradingPipeline pipeline, AuditLog audit) => SetAllHalted(false, http, pipeline, audit));
        admin.MapPost("/instruments/{symbol}/mark", SetMark);
        admin.MapPost("/accounts/{account}/cancel-all", CancelAll);
        admin.MapPost("/accounts/{account}/disable", Disable);
        admin.MapPost("/accounts/{account}/enable", Enable);
        admin.MapPut("/accounts/{account}/limits", SetLimits);
        admin.MapGet("/accounts", ListAccounts);
        admin.MapGet("/accounts/{account}", GetAccount);
        admin.MapPost("/snapshot", Snapshot);
    }

    // ---- durability ----

    private static async Task<IResult> Snapshot(HttpContext http, TradingPipeline pipeline, AuditLog audit)
    {
        const string action = "admin.snapshot";
        if (pipeline.Journal.Mode == Hft.Journal.JournalMode.None)
            return Fail(http, audit, action, "*", StatusCodes.Status409Conflict, "journal_disabled", "journal mode none: there is no journal to snapshot against");
        try
        {
            var r = await Task.Run(() => pipeline.Snapshots.Take(TimeSpan.FromSeconds(30)));
            audit.Write(http, action, "*", "ok", $"seq={r.Sequence} orders={r.Orders} bytes={r.Bytes}", durable: true);
            return Results.Json(new
            {
                sequence = r.Sequence, file = Path.GetFileName(r.Path), dir = Path.GetFullPath(pipeline.Config.Journal.Dir), orders = r.Orders,
                accounts = r.Accounts, bytes = r.Bytes, elapsedMs = r.Elapsed.TotalMilliseconds, pausedMs = r.Paused.TotalMilliseconds,
                prunedSnapshots = r.Pruned.Snapshots, prunedSegments = r.Pruned.Segments,
            });
        }
        catch (TimeoutException e)
        {
            return Fail(http, audit, action, "*", StatusCodes.Status503ServiceUnavailable, "overloaded", e.Message);
        }
        catch (IOException e)
        {
            return Fail(http, audit, action, "*", StatusCodes.Status500InternalServerError, "snapshot_failed", e.Message);
        }
    }

    // ---- instruments ----

    private static IResult SetHalted(string symbol, bool halted, HttpContext http, TradingPipeline pipeline, AuditLog audit)
    {
        string action = halted ? "admin.halt" : "admin.resume";
        if (!pipeline.Instruments.TryGet(symbol, out var inst)) return UnknownSymbol(http, audit, action, symbol);
        var risk = pipeline.RiskBook.Instrument(inst.Index)!;
        bool was = risk.Halted;
        pipeline.Operators.SetHalted(inst.Index, halted);
        audit.Write(http, action, inst.Symbol, "ok", was == halted ? $"already {(halted ? "halted" : "trading")}" : null, durable: true);
        return Results.Json(new { symbol = inst.Symbol, halted });
    }

    private static IResult SetAllHalted(bool halted, HttpContext http, TradingPipeline pipeline, AuditLog audit)
    {
        var symbols = new List<string>();
        foreach (var inst in pipeline.Instruments.All)
        {
            pipeline.Operators.SetHalted(inst.Index, halted);
            symbols.Add(inst.Symbol);
        }
        audit.Write(http, halted ? "admin.halt_all" : "admin.resume_all", "*", "ok", string.Join(",", symbols), durable: true);
        return Results.Json(new { halted, symbols });
    }

    private static async Task<IResult> SetMark(string symbol, HttpContext http, TradingPipeline pipeline, AuditLog audit)
    {
        const string action = "admin.mark";
        if (!pipeline.Instruments.TryGet(symbol, out var inst)) return UnknownSymbol(http, audit, action, symbol);
        var body = await RequestBody.ReadAsync(http);
        if (body.Problem is { } refused) return Fail(http, audit, action, inst.Symbol, refused);
        if (!TryReadPrice(body.Bytes, inst, out long ticks, out string code, out string message))
            return Fail(http, audit, action, inst.Symbol, StatusCodes.Status400BadRequest, code, message);
        pipeline.Operators.SetMark(inst.Index, ticks);
        string mark = inst.FormatPrice(ticks);
        audit.Write(http, action, inst.Symbol, "ok", "price=" + mark, durable: true);
        return Results.Json(new { symbol = inst.Symbol, mark });
    }

    private static readonly HashSet<string> s_markFields = new(StringComparer.Ordinal) { "price" };

    /// <summary><c>{"price":"50010"}</c>: exactly one field, a positive decimal on the tick grid.</summary>
    private static bool TryReadPrice(byte[] body, Instrument inst, out long ticks, out string code, out string message)
    {
        ticks = 0;
        code = "invalid_request";
        if (!StrictJsonObject.TryRead(body, s_markFields, out var fields, out _, out message)) return false;
        if (!fields.TryGetValue("price", out var price)) return Bad("missing field 'price'", out message);
        string? text = price.ValueKind switch
        {
            JsonValueKind.String => price.GetString()!,
            JsonValueKind.Number => price.GetRawText(),
            _ => null,
        };
        if (text is null) return Bad("field 'price' must be a decimal string", out message);
        if (inst.TryParsePrice(Encoding.UTF8.GetBytes(text), out ticks) != RejectReason.None)
        {
            code = RejectReason.InvalidPrice.Name();
            return Bad($"price '{text}' is not a positive multiple of tick {inst.Tick} within range", out message);
        }
        return true;
    }

    // ---- accounts ----

    private static async Task<IResult> CancelAll(string account, HttpContext http, TradingPipeline pipeline, AuditLog audit, string? symbol)
    {
        const string action = "admin.cancel_all";
        if (!pipeline.Accounts.TryGet(account, out int id)) return UnknownAccount(http, audit, action, account);
        int instrument = -1;
        if (symbol is not null)
        {
            if (!pipeline.Instruments.TryGet(symbol, out var inst)) return UnknownSymbol(http, audit, action, $"{account}/{symbol}", symbol);
            instrument = inst.Index;
        }
        string target = symbol is null ? account : $"{account}/{symbol}";
        if (!pipeline.Accepting) return ShuttingDown(http, audit, action, target);
        var completion = new RestReply(pipeline.Outbox, pipeline.ShardsFor(instrument));
        if (!pipeline.CancelAll(id, instrument, CancelReason.Admin, completion))
            return Fail(http, audit, action, target, StatusCodes.Status503ServiceUnavailable, "overloaded", "the matching queue is full; retry");
        var ids = Canceled(await completion.Task.WaitAsync(s_ackTimeout));
        audit.Write(http, action, target, "ok", $"canceled {ids.Count} order(s)", durable: true);
        return Results.Json(new { account, canceled = ids.Count, ids });
    }

    private static async Task<IResult> Disable(string account, HttpContext http, TradingPipeline pipeline, AuditLog audit)
    {
        const string action = "admin.disable";
        if (!pipeline.Accounts.TryGet(account, out int id)) return UnknownAccount(http, audit, action, account);
        if (!pipeline.Accepting) return ShuttingDown(http, audit, action, account);
        var completion = new RestReply(pipeline.Outbox, pipeline.Shards.Count);
        if (!pipeline.Operators.SetAccountEnabled(id, false, completion))
            return Fail(http, audit, action, account, StatusCodes.Status503ServiceUnavailable, "overloaded",
                "account disabled, but the matching queue is full: not every open order could be canceled; retry");
        var ids = Canceled(await completion.Task.WaitAsync(s_ackTimeout));
        audit.Write(http, action, account, "ok", $"disabled; canceled {ids.Count} order(s)", durable: true);
        return Results.Json(new { account, enabled = false, canceled = ids.Count, ids });
    }

    private static IResult Enable(string account, HttpContext http, TradingPipeline pipeline, AuditLog audit)
    {
        const string action = "admin.enable";
        if (!pipeline.Accounts.TryGet(account, out int id)) return UnknownAccount(http, audit, action, account);
        pipeline.Operators.SetAccountEnabled(id, true);
        audit.Write(http, action, account, "ok", durable: true);
        return Results.Json(new { account, enabled = true });
    }

    private static async Task<IResult> SetLimits(string account, HttpContext http, TradingPipeline pipeline, AuditLog audit)
    {
        const string action = "admin.limits";
        if (!pipeline.Accounts.TryGet(account, out int id)) return UnknownAccount(http, audit, action, account);
        var body = await RequestBody.ReadAsync(http);
        if (body.Problem is { } refused) return Fail(http, audit, action, account, refused);
        if (!LimitsRequestParser.TryParse(body.Bytes, out var update, out var error))
            return Fail(http, audit, action, account, StatusCodes.Status400BadRequest, "invalid_request", error);
        var limits = pipeline.Operators.SetLimits(id, update.ApplyTo);
        audit.Write(http, action, account, "ok", update.Changes.Count == 0 ? "no change" : string.Join(", ", update.Changes), durable: true);
        return Results.Json(new { account, limits = LimitsView(limits) });
    }

    private static IResult ListAccounts(HttpContext http, TradingPipeline pipeline, AuditLog audit)
    {
        var list = pipeline.Accounts.All.Select(a => AccountEndpoints.AccountSummary(pipeline, a.Id)).ToList();
        audit.Write(http, "admin.accounts", "*", "ok", $"{list.Count} account(s)");
        return Results.Json(list);
    }

    private static IResult GetAccount(string account, HttpContext http, TradingPipeline pipeline, AuditLog audit)
    {
        const string action = "admin.account";
        if (!pipeline.Accounts.TryGet(account, out int id)) return UnknownAccount(http, audit, action, account);
        audit.Write(http, action, account, "ok");
        return Results.Json(AccountEndpoints.AccountSummary(pipeline, id));
    }

    public static object LimitsView(AccountLimits l) => new
    {
        credit = l.Credit?.ToString(), maxOrderQty = l.MaxOrderQty?.ToString(), maxOrderNotional = l.MaxOrderNotional?.ToString(),
        maxPosition = l.MaxPosition?.ToString(), maxOpenOrders = l.MaxOpenOrders,
        makerFeeBps = l.MakerFeeBps.ToString(), takerFeeBps = l.TakerFeeBps.ToString(),
    };

    // ---- helpers ----

    private static List<long> Canceled(EngineEvent[] events)
        => events.Where(e => e.Kind == EventKind.Canceled).Select(e => e.OrderId).ToList();

    private static IResult UnknownSymbol(HttpContext http, AuditLog audit, string action, string target, string? symbol = null)
        => Fail(http, audit, action, target, StatusCodes.Status404NotFound, RejectReason.UnknownSymbol.Name(), $"unknown symbol '{symbol ?? target}'");

    private static IResult UnknownAccount(HttpContext http, AuditLog audit, string action, string account)
        => Fail(http, audit, action, account, StatusCodes.Status404NotFound, "unknown_account", $"unknown account '{account}'");

    private static IResult ShuttingDown(HttpContext http, AuditLog audit, string action, string target)
        => Fail(http, audit, action, target, StatusCodes.Status503ServiceUnavailable, "shutting_down", "the server is shutting down");

    private static IResult Fail(HttpContext http, AuditLog audit, string action, string target, ApiProblem problem)
        => Fail(http, audit, action, target, problem.Status, problem.Code, problem.Message);

    /// <summary>Audits a failed admin action and returns its error in the API's shape.</summary>
    private static IResult Fail(HttpContext http, AuditLog audit, string action, string target, int status, string code, string message)
    {
        audit.Write(http, action, target, $"{status} {code}", message, durable: true);
        return ApiError.Result(status, code, message);
    }

    private static bool Bad(string text, out string message)
    {
        message = text;
        return false;
    }
}
