using Tomlyn.Model;
using Tomlyn.Syntax;

namespace Hft.Configuration;

/// <summary>
/// Builds the <see cref="TomlTable"/> model from a validated syntax tree. Tomlyn 2.10.2's own
/// <c>TomlSerializer.Deserialize&lt;TomlTable&gt;</c> loses elements of an array of tables when it is continued after
/// another table (<c>[[a]] [b] [[a]]</c> keeps only the last <c>[[a]]</c>), and does not reject duplicate keys; so the
/// document is parsed and validated with <c>SyntaxParser.ParseStrict</c> and the model is built here, per the TOML spec.
/// </summary>
internal static class TomlDocumentModel
{
    public static TomlTable Build(DocumentSyntax document)
    {
        var root = new TomlTable();
        foreach (var kv in document.KeyValues) Set(root, kv);
        foreach (var table in document.Tables)
        {
            if (table.Name is null) continue;
            var path = Segments(table.Name);
            var parent = Walk(root, path, path.Count - 1);
            var last = path[^1];
            TomlTable current;
            if (table is TableArraySyntax)
            {
                if (!parent.TryGetValue(last, out var existing) || existing is not TomlTableArray array)
                {
                    array = new TomlTableArray();
                    parent[last] = array;
                }
                current = new TomlTable();
                array.Add(current);
            }
            else
            {
                current = Walk(parent, [last], 1);
            }
            foreach (var kv in table.Items) Set(current, kv);
        }
        return root;
    }

    /// <summary>Follows (creating as needed) the first <paramref name="count"/> segments; an array of tables means its last element.</summary>
    private static TomlTable Walk(TomlTable table, IReadOnlyList<string> path, int count)
    {
        for (int i = 0; i < count; i++)
        {
            table.TryGetValue(path[i], out var next);
            switch (next)
            {
                case TomlTable t: table = t; break;
                case TomlTableArray { Count: > 0 } a: table = a[a.Count - 1]; break;
                default:
                    var created = new TomlTable();
                    table[path[i]] = created;
                    table = created;
                    break;
            }
        }
        return table;
    }

    private static void Set(TomlTable table, KeyValueSyntax kv)
    {
        if (kv.Key is null || kv.Value is null) return;
        var path = Segments(kv.Key);
        Walk(table, path, path.Count - 1)[path[^1]] = Value(kv.Value)!;
    }

    private static object Value(ValueSyntax value) => value switch
    {
        StringValueSyntax s => s.Value ?? "",
        IntegerValueSyntax i => i.Value,
        FloatValueSyntax f => f.Value,
        BooleanValueSyntax b => b.Value,
        DateTimeValueSyntax d => d.Value,
        ArraySyntax a => Array(a),
        InlineTableSyntax t => Inline(t),
        _ => throw new InvalidOperationException("unexpected TOML value " + value.GetType().Name),
    };

    private static TomlArray Array(ArraySyntax a)
    {
        var array = new TomlArray();
        foreach (var item in a.Items)
            if (item.Value is not null) array.Add(Value(item.Value));
        return array;
    }

    private static TomlTable Inline(InlineTableSyntax t)
    {
        var table = new TomlTable();
        foreach (var item in t.Items)
            if (item.KeyValue is not null) Set(table, item.KeyValue);
        return table;
    }

    private static List<string> Segments(KeySyntax key)
    {
        var list = new List<string> { Name(key.Key) };
        foreach (var dotted in key.DotKeys) list.Add(Name(dotted.Key));
        return list;
    }

    private static string Name(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };
}
