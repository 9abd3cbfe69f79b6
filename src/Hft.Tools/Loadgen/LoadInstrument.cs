using System.Globalization;
using Hft.Client.Rest;

namespace Hft.Tools.Loadgen;

/// <summary>
/// The instrument a text-protocol target (REST, FIX) trades: its symbol, and its tick and lot to turn loadgen's
/// integer ticks and lots into decimal text. Read from the server's GET /api/v1/instruments.
/// </summary>
public sealed record LoadInstrument(string Symbol, decimal Tick, decimal Lot)
{
    /// <summary>Throws <see cref="HttpRequestException"/> when the server does not list its instruments.</summary>
    public static async Task<LoadInstrument> FetchAsync(HftRestClient api, int instrument)
    {
        var instruments = await api.InstrumentsAsync();
        if (!instruments.Ok)
            throw new HttpRequestException(instruments.Answered ? $"GET /api/v1/instruments: {instruments.Status} {instruments.Text}" : instruments.Text);
        var inst = instruments.Body.EnumerateArray().ElementAt(instrument);
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
