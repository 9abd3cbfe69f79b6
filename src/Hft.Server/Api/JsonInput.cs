using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

namespace Hft.Server.Api;

/// <summary>
/// The one gate for JSON a client sends (REST bodies, <c>/ws</c> messages): one value, nested at most
/// <see cref="MaxDepth"/> levels, every string and property name valid Unicode - no invalid UTF-8 and no escaped lone
/// UTF-16 surrogate (<c>"\ud800"</c>), which System.Text.Json parses but cannot turn into a string. Whatever passes
/// can be read with <see cref="JsonElement.GetString"/> without an exception. Refusals are described in our words
/// (the parser's exception texts are never shown to clients).
/// </summary>
public static class JsonInput
{
    /// <summary>Nesting allowed: the API's bodies and messages are flat objects.</summary>
    public const int MaxDepth = 4;

    public const string InvalidUnicode = "a string is not valid Unicode (an escaped lone UTF-16 surrogate, or invalid UTF-8)";

    /// <summary>Parses <paramref name="utf8"/> into a document (dispose it), or says what is wrong with it.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out JsonDocument? document, out string error)
    {
        document = null;
        if (!TryCheck(utf8, out error)) return false;
        var reader = new Utf8JsonReader(utf8);
        document = JsonDocument.ParseValue(ref reader);
        return true;
    }

    private static bool TryCheck(ReadOnlySpan<byte> utf8, out string error)
    {
        error = "";
        if (utf8.Trim(" \t\r\n"u8).IsEmpty) return Fail("malformed JSON: empty", out error);
        var reader = new Utf8JsonReader(utf8); // default depth limit 64: ours is checked below, before it
        bool complete = false;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= MaxDepth:
                        return Fail($"JSON nested deeper than {MaxDepth} levels", out error);
                    case JsonTokenType.PropertyName or JsonTokenType.String when !IsValidUnicode(reader.ValueSpan, reader.ValueIsEscaped):
                        return Fail(InvalidUnicode, out error);
                }
                complete = reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray);
            }
            return true;
        }
        catch (JsonException e)
        {
            return Fail(complete
                ? "unexpected content after the JSON value"
                : $"malformed JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}", out error);
        }
    }

    /// <summary>A string token's raw bytes (escapes not undone) hold valid UTF-8 and escape no lone surrogate.</summary>
    private static bool IsValidUnicode(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!Utf8.IsValid(raw)) return false;
        if (!escaped) return true;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\') continue;
            i++; // the escaped character; the reader has checked the escape's syntax
            if (raw[i] != (byte)'u') continue;
            char unit = Hex4(raw, i + 1);
            i += 4;
            if (char.IsLowSurrogate(unit)) return false;
            if (!char.IsHighSurrogate(unit)) continue;
            // a high surrogate must be followed at once by an escaped low one
            if (i + 6 >= raw.Length || raw[i + 1] != (byte)'\\' || raw[i + 2] != (byte)'u' || !char.IsLowSurrogate(Hex4(raw, i + 3))) return false;
            i += 6;
        }
        return true;
    }

    private static char Hex4(ReadOnlySpan<byte> raw, int at)
        => Utf8Parser.TryParse(raw.Slice(at, 4), out ushort value, out _, 'X') ? (char)value : '\0';

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
