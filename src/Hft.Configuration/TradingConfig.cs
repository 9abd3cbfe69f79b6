namespace Hft.Configuration;

public sealed record TradingConfig
{
    /// <summary>Global order admission throttle (orders/s across all gateways); 0 = unlimited.</summary>
    public int MaxOrdersPerSecond { get; init; } = 100_000;

    /// <summary>Symbols open for trading; each must have an instrument definition.</summary>
    public IReadOnlyList<string> EnabledSymbols { get; init; } = ["BTCUSD", "ETHUSD"];

    public IReadOnlyList<InstrumentConfig> Instruments { get; init; } =
    [
        new() { Symbol = "BTCUSD", Tick = "0.01", Lot = "0.0001", PriceBandPct = "10" },
        new() { Symbol = "ETHUSD", Tick = "0.01", Lot = "0.001", PriceBandPct = "10" },
    ];

    internal static TradingConfig Bind(SectionReader r, TradingConfig defaults) => new()
    {
        MaxOrdersPerSecond = r.Int("max_orders_per_second", defaults.MaxOrdersPerSecond, 0, 100_000_000),
        EnabledSymbols = r.StringList("enabled_symbols", defaults.EnabledSymbols),
        Instruments = r.BindTableArray("instruments", defaults.Instruments, InstrumentConfig.Bind),
    };

    internal void Validate(BindContext ctx)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Instruments.Count; i++)
        {
            var instrument = Instruments[i];
            var section = $"trading.instruments[{i}]";
            if (!defined.Add(instrument.Symbol))
                throw ctx.Error(section, "symbol", $"duplicate instrument \"{instrument.Symbol}\"");
            instrument.Validate(section, ctx);
        }

        var enabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var symbol in EnabledSymbols)
        {
            if (!enabled.Add(symbol)) throw ctx.Error("trading", "enabled_symbols", $"\"{symbol}\" is listed twice");
            if (!defined.Contains(symbol))
                throw ctx.Error("trading", "enabled_symbols",
                    $"\"{symbol}\" is enabled but has no [[trading.instruments]] entry {DefinedNames.Hint(Instruments.Select(x => x.Symbol))}");
        }
    }
}
