using System.Globalization;
using Hft.Core.Numerics;
using Tomlyn;
using Tomlyn.Model;

namespace Hft.Configuration;

/// <summary>
/// Reads the keys of one TOML table (a section, or one element of an array of tables) with their types and ranges,
/// taking each key from its environment override when one is set. Every key read is remembered as known so that
/// <see cref="RejectUnknownKeys"/> can refuse the rest.
/// </summary>
internal sealed class SectionReader
{
    private readonly BindContext _ctx;
    private readonly TomlTable? _table;
    private readonly List<string> _envPaths;
    private readonly List<string> _known = [];

    public SectionReader(BindContext ctx, string name, TomlTable? table, string envPath)
    {
        _ctx = ctx;
        Name = name;
        _table = table;
        _envPaths = [envPath];
    }

    /// <summary>Section label used in messages: "system", "trading.instruments[0]", "" for the top level.</summary>
    public string Name { get; }

    /// <summary>True when the table exists in the file (false: only defaults and env overrides apply).</summary>
    public bool Present => _table is not null;

    /// <summary>Lets env overrides address this array element by id as well as by index (HFT_ACCOUNTS__A1__CREDIT).</summary>
    public void AddEnvAlias(string id)
    {
        if (id.Length == 0 || id.Contains(EnvironmentOverrides.Separator, StringComparison.Ordinal)) return;
        var parent = _envPaths[0][.._envPaths[0].LastIndexOf(EnvironmentOverrides.Separator, StringComparison.Ordinal)];
        _envPaths.Add(parent + EnvironmentOverrides.Separator + id.ToLowerInvariant());
    }

    public ConfigException Error(string key, string problem) => _ctx.Error(Name, key, problem);

    // ---- scalar keys -------------------------------------------------------------------------------------------

    public int Int(string key, int defaultValue, int min, int max, bool required = false)
        => IntOrNull(key, defaultValue, min, max, required) ?? defaultValue;

    public int? IntOrNull(string key, int? defaultValue, int min, int max, bool required = false)
    {
        long value;
        switch (Get(key, required))
        {
            case Absent: return defaultValue;
            case FromEnv env:
                if (env.Value.Length == 0) return null;
                if (!long.TryParse(env.Value.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
                    throw Error(key, $"expected an integer, got \"{env.Value}\"");
                break;
            case FromToml { Value: long l }: value = l; break;
            case FromToml t: throw WrongType(key, "an integer", t.Value);
            default: throw new InvalidOperationException();
        }
        if (value < min || value > max) throw Error(key, $"must be between {min} and {max}, got {value}");
        return (int)value;
    }

    public bool Bool(string key, bool defaultValue)
    {
        switch (Get(key, false))
        {
            case Absent: return defaultValue;
            case FromEnv env:
                return env.Value.Trim().ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" or "on" => true,
                    "false" or "0" or "no" or "off" => false,
                    _ => throw Error(key, $"expected true or false, got \"{env.Value}\""),
                };
            case FromToml { Value: bool b }: return b;
            case FromToml t: throw WrongType(key, "a boolean (true or false)", t.Value);
            default: throw new InvalidOperationException();
        }
    }

    public double Double(string key, double defaultValue, double min, double max)
    {
        double value;
        switch (Get(key, false))
        {
            case Absent: return defaultValue;
            case FromEnv env:
                if (!double.TryParse(env.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                    throw Error(key, $"expected a number, got \"{env.Value}\"");
                break;
            case FromToml { Value: double d }: value = d; break;
            case FromToml { Value: long l }: value = l; break;
            case FromToml t: throw WrongType(key, "a number", t.Value);
            default: throw new InvalidOperationException();
        }
        if (!(value >= min && value <= max))
            throw Error(key, $"must be between {Num(min)} and {Num(max)}, got {Num(value)}");
        return value;
    }

    public string String(string key, string defaultValue, bool required = false)
        => StringOrNull(key, defaultValue, required) ?? throw Error(key, "must not be empty");

    /// <summary>A string; an empty value (in the file or the environment) gives null.</summary>
    public string? StringOrNull(string key, string? defaultValue, bool required = false)
    {
        switch (Get(key, required))
        {
            case Absent: return defaultValue;
            case FromEnv env: return env.Value.Length == 0 ? null : env.Value;
            case FromToml { Value: string s }: return s.Length == 0 ? null : s;
            case FromToml t: throw WrongType(key, "a string", t.Value);
            default: throw new InvalidOperationException();
        }
    }

    /// <summary>
    /// Exact decimal text ("0.01", "50000", "-1.5"): a TOML string or integer. Floats are refused because they are
    /// binary approximations. The text is checked here; ranges and grids are the validator's.
    /// </summary>
    public string? Decimal(string key, string? defaultValue, bool required = false)
    {
        string text;
        switch (Get(key, required))
        {
            case Absent: return defaultValue;
            case FromEnv env:
                if (env.Value.Length == 0) return null;
                text = env.Value.Trim();
                break;
            case FromToml { Value: string s }: text = s.Trim(); break;
            case FromToml { Value: long l }: text = l.ToString(CultureInfo.InvariantCulture); break;
            case FromToml { Value: double d }:
                throw Error(key, $"expected a decimal string such as \"{Num(d)}\", got float {Num(d)} (floats are inexact: quote the value)");
            case FromToml t: throw WrongType(key, "a decimal string such as \"0.01\"", t.Value);
            default: throw new InvalidOperationException();
        }
        if (!Amount.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _))
            throw Error(key, $"not a valid decimal number: \"{text}\" (plain digits with an optional '-' and '.', at most 18 decimals)");
        return text;
    }

    /// <summary>An array of strings; in the environment either comma-separated (BTCUSD,ETHUSD) or a TOML array.</summary>
    public IReadOnlyList<string> StringList(string key, IReadOnlyList<string> defaultValue)
    {
        switch (Get(key, false))
        {
            case Absent: return defaultValue;
            case FromEnv env:
            {
                var v = env.Value.Trim();
                if (v.StartsWith('['))
                {
                    TomlTable parsed;
                    try
                    {
                        parsed = TomlSerializer.Deserialize<TomlTable>("v = " + v)!;
                    }
                    catch (TomlException)
                    {
                        throw Error(key, $"expected a comma-separated list or a TOML array of strings, got \"{env.Value}\"");
                    }
                    return Strings(key, parsed["v"]);
                }
                return v.Length == 0 ? [] : v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            }
            case FromToml t: return Strings(key, t.Value);
            default: throw new InvalidOperationException();
        }
    }

    /// <summary>
    /// An array of integers, each within [<paramref name="min"/>, <paramref name="max"/>]; in the environment either
    /// comma-separated (5001,5002) or a TOML array.
    /// </summary>
    public IReadOnlyList<int> IntList(string key, IReadOnlyList<int> defaultValue, int min, int max)
    {
        List<int> list;
        switch (Get(key, false))
        {
            case Absent: return defaultValue;
            case FromEnv env:
            {
                var v = env.Value.Trim().TrimStart('[').TrimEnd(']');
                list = [];
                foreach (var item in v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!int.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
                        throw Error(key, $"expected a comma-separated list or a TOML array of integers, got \"{env.Value}\"");
                    list.Add(n);
                }
                break;
            }
            case FromToml t:
            {
                if (t.Value is not TomlArray array) throw WrongType(key, "an array of integers", t.Value);
                list = new List<int>(array.Count);
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is not long l || l is < int.MinValue or > int.MaxValue)
                        throw Error(key, $"item {i}: expected an integer, got {Describe(array[i])}");
                    list.Add((int)l);
                }
                break;
            }
            default: throw new InvalidOperationException();
        }
        foreach (int n in list)
            if (n < min || n > max) throw Error(key, $"every item must be between {min} and {max}, got {n}");
        return list;
    }

    private List<string> Strings(string key, object? value)
    {
        if (value is not TomlArray array) throw WrongType(key, "an array of strings", value);
        var list = new List<string>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            if (array[i] is not string s) throw Error(key, $"item {i}: expected a string, got {Describe(array[i])}");
            list.Add(s);
        }
        return list;
    }

    // ---- nested tables -----------------------------------------------------------------------------------------

    /// <summary>
    /// Binds the sub-table <paramref name="key"/> (a section when read from the top level) with <paramref name="bind"/>,
    /// then refuses the keys it did not read. An absent table is bound over nothing: defaults and env overrides apply.
    /// </summary>
    public T BindTable<T>(string key, T defaults, Func<SectionReader, T, T> bind)
    {
        var reader = Table(key);
        var value = bind(reader, defaults);
        reader.RejectUnknownKeys();
        return value;
    }

    /// <summary>Binds each element of the array of tables <paramref name="key"/> like <see cref="BindTable{T}"/>; absent, the defaults.</summary>
    public IReadOnlyList<T> BindTableArray<T>(string key, IReadOnlyList<T> defaults, Func<SectionReader, T> bind)
    {
        var readers = TableArray(key);
        if (readers is null) return defaults;
        var values = new List<T>(readers.Count);
        foreach (var reader in readers)
        {
            values.Add(bind(reader));
            reader.RejectUnknownKeys();
        }
        return values;
    }

    private SectionReader Table(string key)
    {
        _known.Add(key);
        object? value = null;
        _table?.TryGetValue(key, out value);
        if (value is not null and not TomlTable)
            throw Name.Length == 0
                ? _ctx.Error(key, null, $"expected a table [{key}], got {Describe(value)}")
                : WrongType(key, "a table", value);
        return new SectionReader(_ctx, Child(key), (TomlTable?)value, EnvPath(key));
    }

    /// <summary>The elements of an array of tables ([[key]]), or null when the key is absent.</summary>
    private List<SectionReader>? TableArray(string key)
    {
        _known.Add(key);
        object? value = null;
        if (_table is null || !_table.TryGetValue(key, out value)) return null;
        var tables = new List<TomlTable>();
        switch (value)
        {
            case TomlTableArray ta:
                foreach (var t in ta) tables.Add(t);
                break;
            case TomlArray a when a.All(x => x is TomlTable):
                foreach (var t in a) tables.Add((TomlTable)t!);
                break;
            default:
                throw Name.Length == 0
                    ? _ctx.Error(key, null, $"expected an array of tables [[{key}]], got {Describe(value)}")
                    : WrongType(key, $"an array of tables [[{Child(key)}]]", value);
        }
        var readers = new List<SectionReader>(tables.Count);
        for (int i = 0; i < tables.Count; i++)
            readers.Add(new SectionReader(_ctx, $"{Child(key)}[{i}]", tables[i], EnvPath(key) + EnvironmentOverrides.Separator + i));
        return readers;
    }

    /// <summary>Refuses any key of this table that was not read, suggesting the nearest known key.</summary>
    public void RejectUnknownKeys()
    {
        if (_table is null) return;
        foreach (var (key, value) in _table)
        {
            if (_known.Contains(key)) continue;
            var hint = Suggest(key);
            if (Name.Length == 0)
            {
                if (value is TomlTable or TomlTableArray)
                    throw _ctx.Error(key, null, $"unknown section{hint}");
                throw _ctx.Error("", key, $"unknown top-level key{hint}");
            }
            throw Error(key, $"unknown key{hint}");
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    private abstract record Source;
    private sealed record Absent : Source;
    private sealed record FromToml(object? Value) : Source;
    private sealed record FromEnv(string Value, string Name) : Source;

    private Source Get(string key, bool required)
    {
        _known.Add(key);
        var env = _ctx.Environment.Find(_envPaths, key, problem => Error(key, problem));
        if (env is not null)
        {
            _ctx.RecordOrigin(Name, key, env.Name);
            return new FromEnv(env.Value, env.Name);
        }
        if (_table is not null && _table.TryGetValue(key, out var value)) return new FromToml(value);
        if (required) throw Error(key, "missing required key");
        return new Absent();
    }

    private string Child(string key) => Name.Length == 0 ? key : Name + "." + key;

    private string EnvPath(string key) => _envPaths[0].Length == 0 ? key : _envPaths[0] + EnvironmentOverrides.Separator + key;

    private ConfigException WrongType(string key, string expected, object? value) => Error(key, $"expected {expected}, got {Describe(value)}");

    internal static string Describe(object? value) => value switch
    {
        null => "nothing",
        string s => $"string \"{s}\"",
        long l => $"integer {l}",
        double d => $"float {Num(d)}",
        bool b => $"boolean {(b ? "true" : "false")}",
        TomlDateTime dt => $"date-time {dt}",
        TomlArray => "an array",
        TomlTableArray => "an array of tables",
        TomlTable => "a table",
        _ => value.GetType().Name,
    };

    private static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private string Suggest(string key)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var k in _known)
        {
            int d = Levenshtein(key, k);
            if (d < bestDistance) { best = k; bestDistance = d; }
        }
        return best is not null && bestDistance <= Math.Max(2, key.Length / 3) ? $" (did you mean {best}?)" : "";
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
