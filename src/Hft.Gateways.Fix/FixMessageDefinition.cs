namespace Hft.Gateways.Fix;

/// <summary>
/// One message type of the dictionary (or its header or trailer): the fields allowed at its top level as a bitset
/// indexed by tag, the required ones, and its repeating groups. Built once at start; lookups allocate nothing.
/// </summary>
public sealed class FixMessageDefinition
{
    private readonly ulong[] _allowed = new ulong[FixDictionary.TagWords];
    private readonly FixGroupDefinition[] _groups;

    internal FixMessageDefinition(string name, string msgType, bool admin, IEnumerable<int> fields, int[] required, FixGroupDefinition[] groups)
    {
        Name = name;
        MsgType = msgType;
        IsAdmin = admin;
        foreach (int tag in fields) _allowed[tag >> 6] |= 1UL << (tag & 63);
        Required = required;
        _groups = groups;
    }

    public string Name { get; }

    public string MsgType { get; }

    /// <summary>A session (administrative) message: <c>msgcat="admin"</c>.</summary>
    public bool IsAdmin { get; }

    /// <summary>The top-level fields that must be present, in the dictionary's order.</summary>
    public int[] Required { get; }

    /// <summary>A top-level field of this message (a group's NumInGroup included, its entries' fields not).</summary>
    public bool Allows(int tag) => tag is > 0 and <= FixDictionary.MaxTag && (_allowed[tag >> 6] & (1UL << (tag & 63))) != 0;

    /// <summary>The top-level repeating group counted by <paramref name="countTag"/>, or null.</summary>
    public FixGroupDefinition? Group(int countTag) => FindGroup(_groups, countTag);

    internal static FixGroupDefinition? FindGroup(FixGroupDefinition[] groups, int countTag)
    {
        foreach (var g in groups)
            if (g.CountTag == countTag) return g;
        return null;
    }
}
