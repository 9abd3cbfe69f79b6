namespace Hft.Cli.Replay;

/// <summary>Interns account names into the dense integers the engine works with (1, 2, 3, ...).</summary>
public sealed class AccountDirectory
{
    public const int MaxNameLength = 64;

    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly List<string> _names = new() { "" };

    public int Count => _names.Count - 1;

    public string Name(int account) => (uint)account < (uint)_names.Count ? _names[account] : "";

    /// <summary>The index of <paramref name="name"/>, adding it on first sight. Does not allocate once known.</summary>
    public int Intern(ReadOnlySpan<char> name)
    {
        var lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(name, out int id)) return id;
        string s = name.ToString();
        id = _names.Count;
        _names.Add(s);
        _byName.Add(s, id);
        return id;
    }
}
