using System.Text.Json;
using Hft.Core.Instruments;

namespace Hft.Feed;

/// <summary>The source's product ids → our instruments, looked up from JSON without allocating.</summary>
public sealed class FeedSymbolMap
{
    /// <summary>Longest product id accepted (longer ones are unknown).</summary>
    public const int MaxProductLength = 64;

    private readonly Dictionary<string, Instrument> _byProduct;
    private readonly Dictionary<string, Instrument>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public FeedSymbolMap(IEnumerable<(string Product, Instrument Instrument)> entries, bool ignoreCase = false)
    {
        _byProduct = new Dictionary<string, Instrument>(ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var (product, instrument) in entries) _byProduct.Add(product, instrument);
        _lookup = _byProduct.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IEnumerable<string> Products => _byProduct.Keys;

    public IEnumerable<Instrument> Instruments => _byProduct.Values;

    /// <summary>The instrument of the JSON string the reader is on (unescaped), or false.</summary>
    public bool TryFind(ref Utf8JsonReader reader, out Instrument instrument)
    {
        instrument = null!;
        if (reader.TokenType != JsonTokenType.String) return false;
        int length = reader.HasValueSequence ? (int)Math.Min(reader.ValueSequence.Length, int.MaxValue) : reader.ValueSpan.Length;
        if (length > MaxProductLength * 6) return false; // at most 6 escaped bytes per char
        Span<char> chars = stackalloc char[MaxProductLength * 6];
        int n;
        try
        {
            n = reader.CopyString(chars);
        }
        catch (InvalidOperationException)
        {
            return false; // invalid UTF-8 or a lone surrogate escape: hostile input, not a product of ours
        }
        if (n > MaxProductLength) return false;
        if (!_lookup.TryGetValue(chars[..n], out var found)) return false;
        instrument = found;
        return true;
    }
}
