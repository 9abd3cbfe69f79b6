using System.Globalization;
using System.Text.Json;

namespace Hft.Tools.Loadgen;

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

    /// <summary>The price as ASCII decimal text into <paramref name="dest"/>; returns its length.</summary>
    public int Price(long ticks, Span<byte> dest) => Format(ticks * Tick, dest);

    /// <summary>The quantity as ASCII decimal text into <paramref name="dest"/>; returns its length.</summary>
    public int Qty(long lots, Span<byte> dest) => Format(lots * Lot, dest);

    /// <summary>Whole lots in a decimal quantity text (0 when it is not a number).</summary>
    public long Lots(ReadOnlySpan<byte> quantity)
        => decimal.TryParse(quantity, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal q) ? (long)(q / Lot) : 0;

    private static int Format(decimal value, Span<byte> dest)
    {
        value.TryFormat(dest, out int written, default, CultureInfo.InvariantCulture);
        return written;
    }
}
