namespace Hft.Gateways.Fix;

/// <summary>
/// A repeating group of the dictionary: its NumInGroup tag, the fields of an entry in order (the first delimits the
/// entries; a nested group's NumInGroup is one of them) and the groups nested in it.
/// </summary>
public sealed class FixGroupDefinition(int countTag, int[] members, FixGroupDefinition[] nested)
{
    /// <summary>Most fields an entry may have (a seen-field mask per entry is one <see cref="ulong"/>).</summary>
    public const int MaxMembers = 64;

    public int CountTag { get; } = countTag;

    /// <summary>The fields of an entry, in order; the first is the delimiter.</summary>
    public ReadOnlySpan<int> Members => members;

    public int Delimiter => members[0];

    /// <summary>The position of <paramref name="tag"/> among the entry's fields, -1 when not one of them.</summary>
    public int IndexOf(int tag) => Array.IndexOf(members, tag);

    /// <summary>The group nested in an entry whose NumInGroup is <paramref name="countTag"/>, or null.</summary>
    public FixGroupDefinition? Nested(int countTag) => FixMessageDefinition.FindGroup(nested, countTag);
}
