using System.Text;
using System.Text.RegularExpressions;
using Hft.Core.Numerics;

namespace Hft.Configuration;

/// <summary>[feed] rules: adapter, URL, symbol mapping against [trading], action and factor.</summary>
internal static partial class ConfigValidator
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")]
    private static partial Regex FeedProductPattern();

    private static void ValidateFeed(HftConfig c, BindContext ctx)
    {
        var f = c.Feed;
        const string s = "feed";
        if (Array.IndexOf(FeedConfig.Adapters, f.Adapter) < 0)
            throw ctx.Error(s, "adapter", $"must be one of {string.Join(", ", FeedConfig.Adapters)}, got \"{f.Adapter}\"");
        if (Array.IndexOf(FeedConfig.OnStaleActions, f.OnStale) < 0)
            throw ctx.Error(s, "on_stale", $"must be one of {string.Join(", ", FeedConfig.OnStaleActions)}, got \"{f.OnStale}\"");
        RequireRange(f.WidenFactor, s, "widen_factor", "1", false, "100", ctx);
        if (Parse(f.WidenFactor).Raw % 1_000_000_000_000 != 0)
            throw ctx.Error(s, "widen_factor", $"at most 6 decimals, got {f.WidenFactor}");
        if (f.ReconnectMaxMs < f.ReconnectMinMs)
            throw ctx.Error(s, "reconnect_max_ms", $"must be at least reconnect_min_ms ({f.ReconnectMinMs}), got {f.ReconnectMaxMs}");

        bool remote = f.Adapter is "coinbase" or "binance";
        if (remote && f.Enabled)
        {
            if (f.Url is null) throw ctx.Error(s, "url", $"required for adapter {f.Adapter} (a ws:// or wss:// URL)");
            if (!Uri.TryCreate(f.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
                throw ctx.Error(s, "url", $"must be an absolute ws:// or wss:// URL, got \"{f.Url}\"");
            if (c.Profile == "production" && uri.Scheme != "wss")
                throw ctx.Error(s, "url", $"must be wss:// (TLS) in production, got \"{f.Url}\"");
            if (f.Symbols.Count == 0)
                throw ctx.Error(s, "symbols", $"adapter {f.Adapter} needs at least one [[feed.symbols]] entry (symbol and product)");
        }

        var instruments = c.Trading.Instruments.ToDictionary(i => i.Symbol, StringComparer.Ordinal);
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        var products = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < f.Symbols.Count; i++)
        {
            var m = f.Symbols[i];
            var si = $"feed.symbols[{i}]";
            if (!instruments.ContainsKey(m.Symbol))
                throw ctx.Error(si, "symbol", $"\"{m.Symbol}\" has no [[trading.instruments]] entry (defined: {List(instruments.Keys)})");
            if (!symbols.Add(m.Symbol)) throw ctx.Error(si, "symbol", $"\"{m.Symbol}\" is mapped twice");
            if (!FeedProductPattern().IsMatch(m.Product))
                throw ctx.Error(si, "product", $"must be 1-64 letters, digits, '.', '_', '/' or '-', got \"{m.Product}\"");
            if (products.TryGetValue(m.Product, out int first))
                throw ctx.Error(si, "product", $"\"{m.Product}\" is already mapped by feed.symbols[{first}]");
            products[m.Product] = i;
        }

        if (f.Adapter == "mock" && f.Enabled)
        {
            foreach (var sym in MockSymbols(c))
                if (instruments[sym].MarkPrice is null)
                    throw ctx.Error(s, "adapter", $"mock needs a starting price: set mark_price of instrument {sym}");
        }
    }

    /// <summary>The symbols the mock walks: the mapping when given, else every enabled symbol.</summary>
    internal static IEnumerable<string> MockSymbols(HftConfig c)
        => c.Feed.Symbols.Count > 0 ? c.Feed.Symbols.Select(x => x.Symbol) : c.Trading.EnabledSymbols;

    /// <summary>widen_factor (validated) in millionths.</summary>
    internal static long WidenPpm(string factor)
    {
        Amount.TryParse(Encoding.UTF8.GetBytes(factor), out var a);
        return (long)(a.Raw / 1_000_000_000_000);
    }
}
