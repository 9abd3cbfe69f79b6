namespace Hft.Configuration;

internal static class DefinedNames
{
    /// <summary>The "(defined: A, B)" hint of a message that names an unknown entry; "(defined: none)" when there are none.</summary>
    public static string Hint(IEnumerable<string> names)
    {
        var list = string.Join(", ", names);
        return $"(defined: {(list.Length == 0 ? "none" : list)})";
    }
}
