using System.Text.RegularExpressions;

namespace Hft.Configuration;

/// <summary>[[feed.symbols]]: one of our symbols and the source's product id for it (e.g. BTCUSD → "BTC-USD" or "btcusdt").</summary>
public sealed partial record FeedSymbolConfig
{
    public string Symbol { get; init; } = "";
    public string Product { get; init; } = "";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")]
    private static partial Regex ProductPattern();

    internal static FeedSymbolConfig Bind(SectionReader r)
    {
        var symbol = r.String("symbol", "", required: true);
        r.AddEnvAlias(symbol);
        return new FeedSymbolConfig { Symbol = symbol, Product = r.String("product", "", required: true) };
    }

    /// <summary>The product id's form; that the symbol is an instrument is checked against [trading] by <see cref="ConfigValidator"/>.</summary>
    internal void Validate(string section, BindContext ctx)
    {
        if (!ProductPattern().IsMatch(Product))
            throw ctx.Error(section, "product", $"must be 1-64 letters, digits, '.', '_', '/' or '-', got \"{Product}\"");
    }
}
