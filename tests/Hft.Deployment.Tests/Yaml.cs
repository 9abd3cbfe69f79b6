using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>Reads YAML (single or multi-document) into YamlDotNet's node model, with small path helpers.</summary>
public static class Yaml
{
    public static List<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(path))) stream.Load(reader);
        return stream.Documents.Where(d => d.RootNode is YamlMappingNode).Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    public static YamlMappingNode Load(string path) => Assert.Single(Documents(path));

    public static YamlMappingNode LoadText(string text)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text)) stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>The node at a dotted path ("spec.template.spec"), or null; numeric segments index sequences.</summary>
    public static YamlNode? At(this YamlNode node, string path)
    {
        YamlNode? current = node;
        foreach (var part in path.Split('.'))
        {
            current = current switch
            {
                YamlMappingNode m => m.Children.TryGetValue(new YamlScalarNode(part), out var child) ? child : null,
                YamlSequenceNode s when int.TryParse(part, out int i) && i < s.Children.Count => s.Children[i],
                _ => null,
            };
            if (current is null) return null;
        }
        return current;
    }

    /// <summary>A scalar under a key that itself contains dots (e.g. "kubernetes.io/metadata.name").</summary>
    public static string? Literal(this YamlNode node, string key)
        => node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;

    public static string? Str(this YamlNode node, string path) => (node.At(path) as YamlScalarNode)?.Value;

    public static string Req(this YamlNode node, string path)
        => node.Str(path) ?? throw new Xunit.Sdk.XunitException($"missing {path}");

    public static IList<YamlNode> Seq(this YamlNode node, string path)
        => (node.At(path) as YamlSequenceNode)?.Children ?? throw new Xunit.Sdk.XunitException($"missing sequence {path}");

    public static YamlMappingNode Map(this YamlNode node, string path)
        => node.At(path) as YamlMappingNode ?? throw new Xunit.Sdk.XunitException($"missing mapping {path}");

    /// <summary>Converts a node to plain values (dictionaries, lists, strings) to compare whole trees.</summary>
    public static object? Plain(YamlNode? node) => node switch
    {
        YamlScalarNode s => s.Value,
        YamlSequenceNode q => q.Children.Select(Plain).ToList(),
        YamlMappingNode m => m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => Plain(kv.Value)),
        _ => null,
    };

    /// <summary>Deep equality of two plain trees, with the first difference's path.</summary>
    public static string? Difference(object? a, object? b, string path = "")
    {
        switch (a, b)
        {
            case (Dictionary<string, object?> x, Dictionary<string, object?> y):
                foreach (var k in x.Keys.Union(y.Keys))
                {
                    if (!x.ContainsKey(k) || !y.ContainsKey(k)) return $"{path}.{k}: only on one side";
                    if (Difference(x[k], y[k], $"{path}.{k}") is { } d) return d;
                }
                return null;
            case (List<object?> x, List<object?> y):
                if (x.Count != y.Count) return $"{path}: {x.Count} vs {y.Count} items";
                for (int i = 0; i < x.Count; i++)
                    if (Difference(x[i], y[i], $"{path}[{i}]") is { } d) return d;
                return null;
            default:
                return Equals(a, b) ? null : $"{path}: '{a}' vs '{b}'";
        }
    }
}
