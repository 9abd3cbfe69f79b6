namespace Hft.Configuration;

/// <summary>
/// The <c>HFT_&lt;SECTION&gt;__&lt;KEY&gt;</c> environment variables. Segments are separated by a double underscore and
/// matched case-insensitively against the snake_case TOML names: <c>HFT_TRADING__MAX_ORDERS_PER_SECOND</c>,
/// <c>HFT_LATENCY_PROFILING__SAMPLE_RATE</c>. Elements of arrays of tables are addressed by 0-based index or by their
/// id: <c>HFT_TRADING__INSTRUMENTS__BTCUSD__MARK_PRICE</c>, <c>HFT_ACCOUNTS__A1__CREDIT</c>,
/// <c>HFT_AUTH__API_KEYS__0__ROLE</c>. An override that matches no known key is an error, like an unknown TOML key.
/// </summary>
internal sealed class EnvironmentOverrides
{
    public const string Prefix = "HFT_";
    public const string Separator = "__";

    private readonly List<Entry> _entries = [];

    public EnvironmentOverrides(IDictionary<string, string?> environment)
    {
        foreach (var (name, value) in environment)
        {
            if (value is null) continue;
            if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) continue;
            if (!name.Contains(Separator, StringComparison.Ordinal)) continue; // HFT_PROFILE, HFT_CONFIG_DIR, ...
            var path = name[Prefix.Length..].ToLowerInvariant();
            _entries.Add(new Entry(name, path, value));
        }
        _entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
    }

    /// <summary>
    /// The override for <paramref name="key"/> in a section reachable under any of <paramref name="sectionPaths"/>
    /// (lower-case env paths such as "trading__instruments__0"), or null. Marks it used.
    /// </summary>
    public Entry? Find(IReadOnlyList<string> sectionPaths, string key, Func<string, ConfigException> conflict)
    {
        Entry? found = null;
        foreach (var sectionPath in sectionPaths)
        {
            var path = sectionPath + Separator + key;
            foreach (var e in _entries)
            {
                if (e.Path != path) continue;
                e.Used = true;
                if (found is not null && !ReferenceEquals(found, e))
                    throw conflict($"set by both {found.Name} and {e.Name}");
                found = e;
            }
        }
        return found;
    }

    /// <summary>Overrides no key consumed (typos, unknown sections, array elements that do not exist).</summary>
    public IEnumerable<Entry> Unused => _entries.Where(e => !e.Used);

    public sealed class Entry(string name, string path, string value)
    {
        /// <summary>The variable's name as set, e.g. HFT_SYSTEM__MAX_WORKERS.</summary>
        public string Name { get; } = name;

        /// <summary>Lower-case path after the prefix, e.g. system__max_workers.</summary>
        public string Path { get; } = path;

        public string Value { get; } = value;

        public bool Used { get; set; }
    }
}
