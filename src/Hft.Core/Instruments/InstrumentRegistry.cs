using Hft.Core.Numerics;

namespace Hft.Core.Instruments;

/// <summary>Instruments by dense index and by symbol. Filled at set-up, read-only on the hot path.</summary>
public sealed class InstrumentRegistry
{
    private readonly List<Instrument> _byIndex = new();
    private readonly Dictionary<string, Instrument> _bySymbol = new(StringComparer.Ordinal);

    public int Count => _byIndex.Count;

    public Instrument this[int index] => _byIndex[index];

    public IReadOnlyList<Instrument> All => _byIndex;

    public bool TryGet(string symbol, out Instrument instrument) => _bySymbol.TryGetValue(symbol, out instrument!);

    /// <summary>
    /// Looks a symbol up from characters without allocating a string (the alternate lookup of .NET 9+).
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> symbol, out Instrument instrument)
        => _bySymbol.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(symbol, out instrument!);

    /// <summary>Adds an instrument; fails with a reason for a bad symbol or a symbol already defined differently.</summary>
    public bool TryAdd(string symbol, ScaledUnit tick, ScaledUnit lot, out Instrument instrument, out string? error)
    {
        instrument = null!;
        if (!IsValidSymbol(symbol))
        {
            error = $"invalid symbol '{symbol}' (1-32 characters of A-Z, a-z, 0-9, '.', '-', '_', '/')";
            return false;
        }
        if (tick.Scale + lot.Scale > Numerics.Amount.Scale)
        {
            error = $"tick {tick} and lot {lot} together have more than {Numerics.Amount.Scale} decimals (notional must be exact)";
            return false;
        }
        if (_bySymbol.TryGetValue(symbol, out var existing))
        {
            if (existing.Tick.Mantissa == tick.Mantissa && existing.Tick.Scale == tick.Scale
                && existing.Lot.Mantissa == lot.Mantissa && existing.Lot.Scale == lot.Scale)
            {
                instrument = existing;
                error = null;
                return true;
            }
            error = $"instrument {symbol} is already defined with tick {existing.Tick} and lot {existing.Lot}";
            return false;
        }
        instrument = new Instrument(_byIndex.Count, symbol, tick, lot);
        _byIndex.Add(instrument);
        _bySymbol.Add(symbol, instrument);
        error = null;
        return true;
    }

    public static bool IsValidSymbol(string symbol)
    {
        if (symbol.Length == 0 || symbol.Length > 32) return false;
        foreach (char c in symbol)
        {
            bool ok = c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_' or '/';
            if (!ok) return false;
        }
        return true;
    }
}
