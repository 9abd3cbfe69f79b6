using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Hft.Core.Instruments;
using Hft.Core.Numerics;

namespace Hft.Configuration;

/// <summary>
/// Rules that span keys or sections, and the production hardening rules. Types and numeric ranges of single keys
/// were checked while binding (<see cref="SectionReader"/>); this throws the first remaining problem.
/// </summary>
internal static partial class ConfigValidator
{
    public static readonly string[] JournalModes = ["sync", "async", "none"];
    public static readonly string[] Roles = ["trader", "admin"];

    /// <summary>Minimum HS256 secret length in bytes (256 bits).</summary>
    public const int MinSecretBytes = 32;

    [GeneratedRegex("^[A-Z0-9][A-Z0-9._-]{0,31}$")]
    private static partial Regex SymbolPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    public static void Validate(HftConfig c, BindContext ctx)
    {
        ValidateTrading(c.Trading, ctx);
        ValidateRisk(c.Risk, ctx);
        ValidateAccounts(c.Accounts, ctx);
        ValidateServer(c, ctx);
        ValidateAuth(c.Auth, c.Accounts, ctx);
        ValidateJournal(c.Journal, ctx);
        ValidateFeed(c, ctx);
        ValidateGateway(c, ctx);
        ValidateReplication(c, ctx);
        if (c.MarketData.DefaultConflateMs is > 0 and var dc && dc < c.MarketData.MinConflateMs)
            throw ctx.Error("market_data", "default_conflate_ms", $"must be 0 or at least min_conflate_ms ({c.MarketData.MinConflateMs}), got {dc}");
        if (c.Profile == "production") ValidateProduction(c, ctx);
    }

    private static void ValidateGateway(HftConfig c, BindContext ctx)
    {
        var g = c.Gateway;
        if (g.BinaryEnabled && g.FixEnabled && g.BinaryPort != 0 && g.BinaryPort == g.FixPort)
            throw ctx.Error("gateway", "fix_port", $"must differ from binary_port, both are {g.FixPort}");
        foreach (var (name, enabled, port) in new[] { ("binary_port", g.BinaryEnabled, g.BinaryPort), ("fix_port", g.FixEnabled, g.FixPort) })
            if (enabled && port != 0 && (port == c.Monitoring.MetricsPort || port == c.Server.HttpPort))
                throw ctx.Error("gateway", name, $"must differ from the HTTP ports, got {port}");
        if (g.FixHeartbeatMinSeconds > g.FixHeartbeatMaxSeconds)
            throw ctx.Error("gateway", "fix_heartbeat_min_seconds", $"must not exceed fix_heartbeat_max_seconds ({g.FixHeartbeatMaxSeconds}), got {g.FixHeartbeatMinSeconds}");
        var pairs = new HashSet<(string, string)>();
        for (int i = 0; i < g.FixSessions.Count; i++)
        {
            var f = g.FixSessions[i];
            var s = $"gateway.fix_sessions[{i}]";
            if (!Sha256Pattern().IsMatch(f.PasswordSha256))
                throw ctx.Error(s, "password_sha256", "must be 64 hex digits (printf '%s' 'password' | sha256sum)");
            if (!c.Accounts.Any(a => a.Id == f.Account))
                throw ctx.Error(s, "account", $"names no [[accounts]] entry: \"{f.Account}\"");
            if (!pairs.Add((f.SenderCompId, f.TargetCompId)))
                throw ctx.Error(s, "sender_comp_id", $"duplicate session {f.SenderCompId}->{f.TargetCompId}");
        }
    }

    private static void ValidateTrading(TradingConfig t, BindContext ctx)
    {
        var grids = new Dictionary<string, ScaledUnit>(StringComparer.Ordinal);
        for (int i = 0; i < t.Instruments.Count; i++)
        {
            var ins = t.Instruments[i];
            var s = $"trading.instruments[{i}]";
            if (!SymbolPattern().IsMatch(ins.Symbol))
                throw ctx.Error(s, "symbol", $"must be 1-32 upper-case letters, digits, '.', '_' or '-', got \"{ins.Symbol}\"");
            if (grids.ContainsKey(ins.Symbol))
                throw ctx.Error(s, "symbol", $"duplicate instrument \"{ins.Symbol}\"");
            var tick = Step(ins.Tick, s, "tick", ctx);
            Step(ins.Lot, s, "lot", ctx);
            grids[ins.Symbol] = tick;
            if (ins.PriceBandPct is { } band)
                RequireRange(band, s, "price_band_pct", "0", false, "100", ctx);
            if (ins.MarkPrice is { } mark)
            {
                DecimalText.TryParse(Encoding.UTF8.GetBytes(mark), out var m, out var sc);
                if (m == 0 || mark.StartsWith('-')) throw ctx.Error(s, "mark_price", $"must be greater than 0, got {mark}");
                var status = tick.TryToUnits(m, sc, Instrument.MaxPriceTicks, out _, out bool offGrid);
                if (offGrid) throw ctx.Error(s, "mark_price", $"{mark} is not a multiple of tick {ins.Tick}");
                if (status != DecimalParseStatus.Ok) throw ctx.Error(s, "mark_price", $"too large: {mark}");
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sym in t.EnabledSymbols)
        {
            if (!seen.Add(sym)) throw ctx.Error("trading", "enabled_symbols", $"\"{sym}\" is listed twice");
            if (!grids.ContainsKey(sym))
                throw ctx.Error("trading", "enabled_symbols",
                    $"\"{sym}\" is enabled but has no [[trading.instruments]] entry (defined: {List(grids.Keys)})");
        }
    }

    private static void ValidateRisk(RiskConfig r, BindContext ctx)
    {
        const string s = "risk";
        Limits(r.Credit, r.MaxOrderQty, r.MaxOrderNotional, r.MaxPosition, r.MakerFeeBps, r.TakerFeeBps, s, ctx);
    }

    private static void ValidateAccounts(IReadOnlyList<AccountConfig> accounts, BindContext ctx)
    {
        var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < accounts.Count; i++)
        {
            var a = accounts[i];
            var s = $"accounts[{i}]";
            if (!AccountIdPattern().IsMatch(a.Id))
                throw ctx.Error(s, "id", $"must be 1-32 letters, digits, '_' or '-', got \"{a.Id}\"");
            if (ids.TryGetValue(a.Id, out int first))
                throw ctx.Error(s, "id", $"duplicate account id \"{a.Id}\" (already defined by accounts[{first}])");
            ids[a.Id] = i;
            Limits(a.Credit, a.MaxOrderQty, a.MaxOrderNotional, a.MaxPosition, a.MakerFeeBps, a.TakerFeeBps, s, ctx);
        }
    }

    private static void Limits(string? credit, string? qty, string? notional, string? position, string? maker, string? taker,
        string s, BindContext ctx)
    {
        if (credit is not null) RequireRange(credit, s, "credit", "0", true, null, ctx);
        if (qty is not null) RequireRange(qty, s, "max_order_qty", "0", false, null, ctx);
        if (notional is not null) RequireRange(notional, s, "max_order_notional", "0", false, null, ctx);
        if (position is not null) RequireRange(position, s, "max_position", "0", false, null, ctx);
        if (maker is not null) RequireRange(maker, s, "maker_fee_bps", "-100", true, "1000", ctx);
        if (taker is not null) RequireRange(taker, s, "taker_fee_bps", "-100", true, "1000", ctx);
    }

    private static void ValidateServer(HftConfig c, BindContext ctx)
    {
        var bind = c.Server.Bind;
        if (bind != "localhost" && !IPAddress.TryParse(bind, out _))
            throw ctx.Error("server", "bind", $"must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::) or localhost, got \"{bind}\"");
        if (string.IsNullOrWhiteSpace(c.Server.AuditLog))
            throw ctx.Error("server", "audit_log", "must not be empty");
    }

    private static void ValidateAuth(AuthConfig a, IReadOnlyList<AccountConfig> accounts, BindContext ctx)
    {
        if (string.IsNullOrWhiteSpace(a.Issuer)) throw ctx.Error("auth", "issuer", "must not be empty");
        if (string.IsNullOrWhiteSpace(a.Audience)) throw ctx.Error("auth", "audience", "must not be empty");
        if (a.Secret is { } secret && Encoding.UTF8.GetByteCount(secret) < MinSecretBytes)
            throw ctx.Error("auth", "secret", $"must be at least {MinSecretBytes} bytes, got {Encoding.UTF8.GetByteCount(secret)}");
        if (a.KeyFile is { } keyFile && !File.Exists(keyFile))
            throw ctx.Error("auth", "key_file", $"file not found: {keyFile}");
        if (a.Enabled && a.Secret is null && a.KeyFile is null)
            throw ctx.Error("auth", "secret", "required when auth is enabled: set HFT_AUTH__SECRET (or [auth] key_file)");

        var ids = new HashSet<string>(accounts.Select(x => x.Id), StringComparer.Ordinal);
        var hashes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < a.ApiKeys.Count; i++)
        {
            var k = a.ApiKeys[i];
            var s = $"auth.api_keys[{i}]";
            if (!Sha256Pattern().IsMatch(k.Sha256))
                throw ctx.Error(s, "sha256", $"must be the SHA-256 of the key as 64 hex digits, got \"{k.Sha256}\" ({k.Sha256.Length} characters)");
            if (hashes.TryGetValue(k.Sha256, out int first))
                throw ctx.Error(s, "sha256", $"duplicate API key (same hash as auth.api_keys[{first}])");
            hashes[k.Sha256] = i;
            if (!ids.Contains(k.Account))
                throw ctx.Error(s, "account", $"unknown account \"{k.Account}\" (defined: {List(ids)})");
            if (Array.IndexOf(Roles, k.Role) < 0)
                throw ctx.Error(s, "role", $"must be one of {string.Join(", ", Roles)}, got \"{k.Role}\"");
        }
    }

    private static void ValidateJournal(JournalConfig j, BindContext ctx)
    {
        if (Array.IndexOf(JournalModes, j.Mode) < 0)
            throw ctx.Error("journal", "mode", $"must be one of sync, async, none, got \"{j.Mode}\"");
        if (string.IsNullOrWhiteSpace(j.Dir)) throw ctx.Error("journal", "dir", "must not be empty");
    }

    private static void ValidateProduction(HftConfig c, BindContext ctx)
    {
        if (!c.Auth.Enabled) throw ctx.Error("auth", "enabled", "must be true in production");
        if (c.Auth.IsDevelopmentSecret)
            throw ctx.Error("auth", "secret", "the development secret is refused in production: set HFT_AUTH__SECRET to a secret of your own");
        if (c.Journal.Mode == "none")
            throw ctx.Error("journal", "mode", "must be sync or async in production, got \"none\"");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static ScaledUnit Step(string text, string s, string key, BindContext ctx)
    {
        if (!ScaledUnit.TryParse(Encoding.UTF8.GetBytes(text), out var unit, out var error))
            throw ctx.Error(s, key, $"{error}, got {text}");
        return unit;
    }

    /// <summary>Checks an already well-formed decimal text against min (inclusive or exclusive) and an inclusive max.</summary>
    private static void RequireRange(string text, string s, string key, string min, bool minInclusive, string? max, BindContext ctx)
    {
        var v = Parse(text);
        var lo = Parse(min);
        bool ok = minInclusive ? v >= lo : v > lo;
        if (max is not null && v > Parse(max)) ok = false;
        if (ok) return;
        var range = max is null
            ? (minInclusive ? $"must be at least {min}" : $"must be greater than {min}")
            : (minInclusive ? $"must be between {min} and {max}" : $"must be greater than {min} and at most {max}");
        throw ctx.Error(s, key, $"{range}, got {text}");
    }

    private static Amount Parse(string text)
    {
        Amount.TryParse(Encoding.UTF8.GetBytes(text), out var a);
        return a;
    }

    private static string List(IEnumerable<string> items)
    {
        var s = string.Join(", ", items);
        return s.Length == 0 ? "none" : s;
    }
}
