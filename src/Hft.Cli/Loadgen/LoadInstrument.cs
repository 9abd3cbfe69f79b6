using System.Globalization;
using System.Text.Json;

namespace Hft.Cli.Loadgen;

/// <summary>
/// The instrument a text-protocol target (REST, FIX) trades: its symbol, and its tick and lot to turn loadgen's
/// integer ticks and lots into decimal text. Read from the server's GET /api/v1/instruments.
/// </summary>
public sealed record LoadInstrument(string Symbol, decimal Tick, decimal Lot)
{
    public static async Task<LoadInstrument> FetchAsync(HttpClient http, int instrument)
    {
        using var instruments = JsonDocument.Parse(await http.GetStringAsync("/api/v1/instruments"));
        var inst = instruments.RootElement.EnumerateArray().ElementAt(instrument);
        return new LoadInstrument(inst.GetProperty("symbol").GetString()!,
            decimal.Parse(inst.GetProperty("tick").GetString()!, CultureInfo.InvariantCulture),
            decimal.Parse(inst.GetProperty("lot").GetString()!, CultureInfo.InvariantCulture));
    }

    public string Price(long ticks) => (ticks * Tick).ToString(CultureInfo.InvariantCulture);

    public string Qty(long lots) => (lots * Lot).ToString(CultureInfo.InvariantCulture);
}
