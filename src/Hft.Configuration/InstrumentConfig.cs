using System.Text;
using System.Text.RegularExpressions;
using Hft.Core.Instruments;
using Hft.Core.Numerics;

namespace Hft.Configuration;

public sealed partial record InstrumentConfig
{
    public string Symbol { get; init; } = "";
    public string Tick { get; init; } = "0.01";
    public string Lot { get; init; } = "1";

    /// <summary>Price band in percent around the reference price; null = none.</summary>
    public string? PriceBandPct { get; init; }

    /// <summary>Initial mark price (decimal text); null = none until the first trade.</summary>
    public string? MarkPrice { get; init; }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9._-]{0,31}$")]
    private static partial Regex SymbolPattern();

    /// <summary>One [[trading.instruments]] entry.</summary>
    internal static InstrumentConfig Bind(SectionReader r)
    {
        var symbol = r.String("symbol", "", required: true);
        r.AddEnvAlias(symbol);
        return new InstrumentConfig
        {
            Symbol = symbol,
            Tick = r.Decimal("tick", null, required: true) ?? throw r.Error("tick", "must not be empty"),
            Lot = r.Decimal("lot", null, required: true) ?? throw r.Error("lot", "must not be empty"),
            PriceBandPct = r.Decimal("price_band_pct", null),
            MarkPrice = r.Decimal("mark_price", null),
        };
    }

    /// <summary>Symbol, grid steps, band and mark price; <paramref name="section"/> names the entry in messages.</summary>
    internal void Validate(string section, BindContext ctx)
    {
        if (!SymbolPattern().IsMatch(Symbol))
            throw ctx.Error(section, "symbol", $"must be 1-32 upper-case letters, digits, '.', '_' or '-', got \"{Symbol}\"");
        var tick = DecimalChecks.Step(Tick, section, "tick", ctx);
        DecimalChecks.Step(Lot, section, "lot", ctx);
        if (PriceBandPct is { } band)
            DecimalChecks.RequireRange(band, section, "price_band_pct", "0", false, "100", ctx);
        if (MarkPrice is { } mark)
        {
            DecimalText.TryParse(Encoding.UTF8.GetBytes(mark), out var m, out var scale);
            if (m == 0 || mark.StartsWith('-')) throw ctx.Error(section, "mark_price", $"must be greater than 0, got {mark}");
            var status = tick.TryToUnits(m, scale, Instrument.MaxPriceTicks, out _, out bool offGrid);
            if (offGrid) throw ctx.Error(section, "mark_price", $"{mark} is not a multiple of tick {Tick}");
            if (status != DecimalParseStatus.Ok) throw ctx.Error(section, "mark_price", $"too large: {mark}");
        }
    }
}
