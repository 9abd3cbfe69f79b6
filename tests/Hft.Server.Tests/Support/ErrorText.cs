using System.Text.RegularExpressions;

namespace Hft.Server.Tests.Support;

/// <summary>Error messages are written by the server, never copied from a framework exception.</summary>
public static partial class ErrorText
{
    /// <summary>
    /// The message is one of the JSON decoder's own (Hft.Server.Api.JsonInput), not a System.Text.Json exception text such
    /// as "'n' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.".
    /// </summary>
    public static void AssertDecoderWords(string message) => Assert.Matches(DecoderMessage(), message);

    [GeneratedRegex(@"^(malformed JSON( at line \d+, byte \d+|: empty)|unexpected content after the JSON value|JSON nested deeper than \d+ levels|a string is not valid Unicode \(an escaped lone UTF-16 surrogate, or invalid UTF-8\))$")]
    private static partial Regex DecoderMessage();
}
