using System.Text.RegularExpressions;

namespace Hft.Configuration;

/// <summary>How secrets are stored in the configuration: the SHA-256 of the secret as 64 lower-case hex digits.</summary>
internal static partial class Sha256Hex
{
    public static bool IsValid(string text) => Pattern().IsMatch(text);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Pattern();
}
