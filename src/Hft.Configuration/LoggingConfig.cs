namespace Hft.Configuration;

/// <summary>
/// [logging]: how much the node logs and in which shape. <c>level</c> is the minimum level of every category;
/// <c>categories</c> sets it per category prefix (<c>"Hft.Gateways.Fix=debug"</c>, the longest matching prefix wins);
/// <c>format</c> = <c>json</c> writes one JSON object per line for a log shipper (production), <c>text</c> one readable line.
/// </summary>
public sealed record LoggingConfig
{
    /// <summary>The level names, most verbose first (Microsoft.Extensions.Logging's LogLevel, lower-case).</summary>
    public static IReadOnlyList<string> Levels { get; } = ["trace", "debug", "information", "warning", "error", "critical", "none"];

    /// <summary>Minimum level of every category without its own entry.</summary>
    public string Level { get; init; } = "information";

    /// <summary><c>text</c> (one line per entry, for a terminal) or <c>json</c> (one JSON object per line, for log shipping).</summary>
    public string Format { get; init; } = "text";

    /// <summary>Per-category minimum levels, category prefix to level (the longest matching prefix wins).</summary>
    public IReadOnlyDictionary<string, string> Categories { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    internal static LoggingConfig Bind(SectionReader r, LoggingConfig defaults)
    {
        var level = r.String("level", defaults.Level).Trim().ToLowerInvariant();
        if (!Levels.Contains(level)) throw r.Error("level", $"must be one of {string.Join(", ", Levels)}, got \"{level}\"");
        var format = r.String("format", defaults.Format).Trim().ToLowerInvariant();
        if (format is not ("text" or "json")) throw r.Error("format", $"must be \"text\" or \"json\", got \"{format}\"");

        var list = r.StringList("categories", defaults.Categories.Select(kv => kv.Key + "=" + kv.Value).ToList());
        var categories = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in list)
        {
            int eq = entry.IndexOf('=', StringComparison.Ordinal);
            var category = eq > 0 ? entry[..eq].Trim() : "";
            var categoryLevel = eq > 0 ? entry[(eq + 1)..].Trim().ToLowerInvariant() : "";
            if (category.Length == 0 || !Levels.Contains(categoryLevel))
                throw r.Error("categories", $"each entry is \"Category.Prefix=level\" with a level of {string.Join(", ", Levels)}, got \"{entry}\"");
            if (!categories.TryAdd(category, categoryLevel)) throw r.Error("categories", $"category \"{category}\" is listed twice");
        }
        return new LoggingConfig { Level = level, Format = format, Categories = categories };
    }
}
