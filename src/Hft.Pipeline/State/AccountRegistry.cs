using System.Collections.Concurrent;

namespace Hft.Pipeline.State;

/// <summary>Account names ↔ the dense integer ids the engine and risk use. Thread-safe; ids start at 1.</summary>
public sealed class AccountRegistry
{
    private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
    private volatile string[] _names = new string[64];
    private readonly object _gate = new();
    private int _count;

    public int GetOrAdd(string name)
    {
        if (_ids.TryGetValue(name, out int id)) return id;
        lock (_gate)
        {
            if (_ids.TryGetValue(name, out id)) return id;
            id = ++_count;
            var names = _names;
            if (id >= names.Length)
            {
                var grown = new string[names.Length * 2];
                Array.Copy(names, grown, names.Length);
                names = grown;
            }
            names[id] = name;
            _names = names;
            _ids[name] = id;
            return id;
        }
    }

    public bool TryGet(string name, out int id) => _ids.TryGetValue(name, out id);

    public string Name(int id)
    {
        var names = _names;
        return (uint)id < (uint)names.Length ? names[id] ?? "" : "";
    }

    public IEnumerable<(string Name, int Id)> All => _ids.Select(kv => (kv.Key, kv.Value)).OrderBy(x => x.Value);
}
