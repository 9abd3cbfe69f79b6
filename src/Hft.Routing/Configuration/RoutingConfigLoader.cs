using System.Globalization;
using System.Net;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Hft.Routing.Configuration;

/// <summary>
/// Reads the routing gateway's TOML file strictly: the only tables are <c>[routing]</c> and
/// <c>[[routing.groups]]</c>, an unknown key or table is an error naming it, every value has a type and a range, and the
/// groups must partition the symbols (each symbol in exactly one group, ids unique in 0..1023, at least one node each,
/// http(s) base URLs, no node in two groups). Problems throw <see cref="RoutingConfigException"/> with one line
/// "file: key: problem". The syntax tree is read directly (no object model), so duplicate keys and tables are the
/// parser's errors and arrays of tables keep every element.
/// </summary>
public static class RoutingConfigLoader
{
    public const string DefaultPath = "config/routing.toml";

    /// <summary>Environment variable naming the file when no <c>--config</c> is given.</summary>
    public const string PathVariable = "HFT_ROUTING_CONFIG";

    private static readonly string[] s_routingKeys = ["listen", "leader_poll_ms", "request_timeout_ms", "max_body_bytes"];
    private static readonly string[] s_groupKeys = ["id", "symbols", "nodes"];

    public static RoutingConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RoutingConfigException($"{path}: cannot read file: {e.Message}");
        }
        return Parse(text, path) with { SourceFile = path };
    }

    /// <summary>Parses and validates TOML text; <paramref name="label"/> names it in messages.</summary>
    public static RoutingConfig Parse(string text, string label)
    {
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.ParseStrict(text, label, true);
        }
        catch (TomlException e)
        {
            var first = e.Message.Split('\n', 2)[0].Trim();
            int at = first.IndexOf(" : error : ", StringComparison.Ordinal);
            throw new RoutingConfigException($"{label}: line {e.Line}, column {e.Column}: invalid TOML: {(at >= 0 ? first[(at + 11)..] : first).Trim()}");
        }

        foreach (var kv in document.KeyValues)
            throw Error(label, kv.Key is { } k ? KeyName(k) : "?", "unknown key (keys belong in [routing] or [[routing.groups]])");

        KeyValueSyntax[]? routing = null;
        var groups = new List<KeyValueSyntax[]>();
        foreach (var table in document.Tables)
        {
            string name = table.Name is { } key ? KeyName(key) : "";
            if (table is TableSyntax && name == "routing") routing = table.Items.ToArray();
            else if (table is TableArraySyntax && name == "routing.groups") groups.Add(table.Items.ToArray());
            else throw Error(label, name, table is TableArraySyntax ? "unknown array of tables (expected [[routing.groups]])" : "unknown table (expected [routing])");
        }
        if (routing is null) throw Error(label, "routing", "missing table [routing]");

        var r = new Section(label, "routing", routing, s_routingKeys);
        var config = new RoutingConfig
        {
            Listen = ParseListen(label, r.String("listen", required: true)!),
            LeaderPollMs = r.Int("leader_poll_ms", 250, 10, 60_000),
            RequestTimeoutMs = r.Int("request_timeout_ms", 5000, 100, 600_000),
            MaxBodyBytes = r.Int("max_body_bytes", 16 * 1024, 1024, 64 * 1024 * 1024),
            Groups = groups.Select((items, i) => ParseGroup(label, i, items)).ToList(),
        };
        Validate(label, config);
        return config;
    }

    private static GroupConfig ParseGroup(string label, int index, KeyValueSyntax[] items)
    {
        var s = new Section(label, $"routing.groups[{index}]", items, s_groupKeys);
        int id = s.Int("id", 0, 0, OrderIds.MaxGroup, required: true);
        var symbols = s.StringList("symbols");
        foreach (var symbol in symbols)
            if (!IsSymbol(symbol)) throw s.Error("symbols", $"'{symbol}' is not a symbol (1 to 32 upper-case letters, digits, '-', '_' or '.')");
        var nodes = s.StringList("nodes").Select(url => NormalizeNode(s, url)).ToList();
        if (nodes.Count == 0) throw s.Error("nodes", "a group needs at least one node");
        return new GroupConfig { Id = id, Symbols = symbols, Nodes = nodes };
    }

    private static void Validate(string label, RoutingConfig config)
    {
        if (config.Groups.Count == 0) throw Error(label, "routing.groups", "at least one [[routing.groups]] is required");
        var ids = new Dictionary<int, int>();
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var nodeOwner = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < config.Groups.Count; i++)
        {
            var g = config.Groups[i];
            string at = $"routing.groups[{i}]";
            if (!ids.TryAdd(g.Id, i)) throw Error(label, at + ".id", $"group id {g.Id} is already used by routing.groups[{ids[g.Id]}]");
            if (g.Symbols.Count == 0) throw Error(label, at + ".symbols", "a group needs at least one symbol");
            foreach (var symbol in g.Symbols)
                if (!owner.TryAdd(symbol, g.Id))
                    throw Error(label, at + ".symbols", owner[symbol] == g.Id
                        ? $"symbol {symbol} is listed twice"
                        : $"symbol {symbol} is already in group {owner[symbol]} (each symbol belongs to exactly one group)");
            foreach (var node in g.Nodes)
                if (!nodeOwner.TryAdd(node.AbsoluteUri, g.Id))
                    throw Error(label, at + ".nodes", nodeOwner[node.AbsoluteUri] == g.Id
                        ? $"node {node.AbsoluteUri} is listed twice"
                        : $"node {node.AbsoluteUri} is already in group {nodeOwner[node.AbsoluteUri]} (a node serves one group)");
        }
    }

    /// <summary>An absolute http(s) base URL without user info, path, query or fragment, as scheme://host:port/.</summary>
    private static Uri NormalizeNode(Section s, string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw s.Error("nodes", $"'{text}' is not an http or https URL (expected http://host:port)");
        if (uri.UserInfo.Length > 0) throw s.Error("nodes", $"'{text}': user info is not allowed in a node URL");
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw s.Error("nodes", $"'{text}': a node URL is a base URL without path, query or fragment");
        return new Uri($"{uri.Scheme}://{uri.Authority}/");
    }

    private static ListenAddress ParseListen(string label, string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535)
        {
            var host = text[..colon];
            if (host == "localhost") return new ListenAddress(null, port);
            if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
            else if (host.Contains(':')) host = ""; // IPv6 needs brackets
            if (IPAddress.TryParse(host, out var address)) return new ListenAddress(address, port);
        }
        throw Error(label, "routing.listen", $"'{text}' is not host:port (an IP address, [IPv6] or localhost, and a port 0..65535)");
    }

    private static bool IsSymbol(string s)
    {
        if (s.Length is 0 or > 32) return false;
        foreach (char c in s)
            if (!(c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.')) return false;
        return true;
    }

    internal static RoutingConfigException Error(string label, string key, string problem) => new($"{label}: {key}: {problem}");

    internal static string KeyName(KeySyntax key)
    {
        var parts = new List<string> { Name(key.Key) };
        foreach (var dotted in key.DotKeys) parts.Add(Name(dotted.Key));
        return string.Join('.', parts);
    }

    private static string Name(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };

    /// <summary>The keys of one table, typed; any key not in <c>known</c> is refused up front.</summary>
    private sealed class Section
    {
        private readonly string _label;
        private readonly string _name;
        private readonly Dictionary<string, ValueSyntax> _values = new(StringComparer.Ordinal);

        public Section(string label, string name, KeyValueSyntax[] items, string[] known)
        {
            _label = label;
            _name = name;
            foreach (var kv in items)
            {
                if (kv.Key is null || kv.Value is null) continue;
                string key = KeyName(kv.Key);
                if (!known.Contains(key)) throw Error(key, $"unknown key (known: {string.Join(", ", known)})");
                _values[key] = kv.Value;
            }
        }

        public RoutingConfigException Error(string key, string problem) => RoutingConfigLoader.Error(_label, $"{_name}.{key}", problem);

        public int Int(string key, int defaultValue, int min, int max, bool required = false)
        {
            if (!_values.TryGetValue(key, out var v))
                return required ? throw Error(key, "missing (required)") : defaultValue;
            if (v is not IntegerValueSyntax i) throw Error(key, $"expected an integer, got {Describe(v)}");
            if (i.Value < min || i.Value > max) throw Error(key, $"{i.Value} is out of range {min}..{max}");
            return (int)i.Value;
        }

        public string? String(string key, bool required)
        {
            if (!_values.TryGetValue(key, out var v)) return required ? throw Error(key, "missing (required)") : null;
            return v is StringValueSyntax s ? s.Value ?? "" : throw Error(key, $"expected a string, got {Describe(v)}");
        }

        public List<string> StringList(string key)
        {
            if (!_values.TryGetValue(key, out var v)) throw Error(key, "missing (required)");
            if (v is not ArraySyntax a) throw Error(key, $"expected an array of strings, got {Describe(v)}");
            var list = new List<string>();
            foreach (var item in a.Items)
                list.Add(item.Value is StringValueSyntax s ? s.Value ?? "" : throw Error(key, $"expected strings, got {Describe(item.Value)}"));
            return list;
        }

        private static string Describe(ValueSyntax? v) => v switch
        {
            StringValueSyntax => "a string",
            IntegerValueSyntax => "an integer",
            FloatValueSyntax => "a float",
            BooleanValueSyntax => "a boolean",
            ArraySyntax => "an array",
            InlineTableSyntax => "a table",
            DateTimeValueSyntax => "a date-time",
            _ => "a value of another type",
        };
    }
}
