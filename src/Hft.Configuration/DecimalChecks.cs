using System.Text;
using Hft.Core.Numerics;

namespace Hft.Configuration;

/// <summary>Checks of decimal texts that binding already found well-formed (<see cref="SectionReader.Decimal"/>).</summary>
internal static class DecimalChecks
{
    /// <summary>Checks <paramref name="text"/> against min (inclusive or exclusive) and an inclusive max.</summary>
    public static void RequireRange(string text, string section, string key, string min, bool minInclusive, string? max, BindContext ctx)
    {
        var v = Parse(text);
        var lo = Parse(min);
        bool ok = minInclusive ? v >= lo : v > lo;
        if (max is not null && v > Parse(max)) ok = false;
        if (ok) return;
        var range = max is null
            ? (minInclusive ? $"must be at least {min}" : $"must be greater than {min}")
            : (minInclusive ? $"must be between {min} and {max}" : $"must be greater than {min} and at most {max}");
        throw ctx.Error(section, key, $"{range}, got {text}");
    }

    /// <summary>A grid step (tick or lot size): a plain positive decimal.</summary>
    public static ScaledUnit Step(string text, string section, string key, BindContext ctx)
    {
        if (!ScaledUnit.TryParse(Encoding.UTF8.GetBytes(text), out var unit, out var error))
            throw ctx.Error(section, key, $"{error}, got {text}");
        return unit;
    }

    public static Amount Parse(string text)
    {
        Amount.TryParse(Encoding.UTF8.GetBytes(text), out var a);
        return a;
    }
}
