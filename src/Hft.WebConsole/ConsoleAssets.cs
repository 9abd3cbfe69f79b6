using System.Reflection;
using System.Security.Cryptography;

namespace Hft.WebConsole;

/// <summary>
/// The console's files (wwwroot, embedded in this assembly under <c>console/</c>), read once, keyed by the path they
/// are served at: <c>index.html</c>, <c>js/main.js</c>, <c>css/console.css</c>... The entity tag is a hash of the
/// content, so a browser revalidates cheaply and never keeps a stale module after an upgrade.
/// </summary>
public sealed class ConsoleAssets
{
    private const string Prefix = "console/";

    private static readonly Dictionary<string, string> s_contentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".txt"] = "text/plain; charset=utf-8",
    };

    private readonly Dictionary<string, ConsoleAsset> _assets;

    private ConsoleAssets(Dictionary<string, ConsoleAsset> assets) => _assets = assets;

    public static ConsoleAssets Embedded { get; } = Load(typeof(ConsoleAssets).Assembly);

    public IEnumerable<string> Paths => _assets.Keys;

    public bool TryGet(string path, out ConsoleAsset asset) => _assets.TryGetValue(path, out asset!);

    private static ConsoleAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            string path = name[Prefix.Length..].Replace('\\', '/');
            if (!s_contentTypes.TryGetValue(System.IO.Path.GetExtension(path), out var type)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
            assets[path] = new ConsoleAsset(path, bytes, type, etag);
        }
        return new ConsoleAssets(assets);
    }
}
