using System.Text.Json;

namespace Hft.Routing.Api;

/// <summary>
/// Finds the <c>symbol</c> of a POST /api/v1/orders body: the top level must be one JSON object whose
/// <c>symbol</c> is a string, present once (a second <c>symbol</c> is refused: the gateway and the server must not
/// read different ones). Everything else in the body is the server's to validate.
/// </summary>
public static class OrderSymbol
{
    public static bool TryRead(ReadOnlySpan<byte> body, out string symbol, out string error)
    {
        symbol = "";
        error = "";
        string? found = null;
        if (body.IsEmpty) return Fail("request body is empty (expected a JSON object)", out error);
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return Fail("request body must be a JSON object", out error);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isSymbol = reader.ValueTextEquals("symbol"u8);
                if (!reader.Read()) break;
                if (isSymbol)
                {
                    if (found is not null) return Fail("field 'symbol' appears more than once", out error);
                    if (reader.TokenType != JsonTokenType.String) return Fail("symbol must be a string", out error);
                    found = reader.GetString()!;
                }
                else
                {
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject) return Fail("malformed JSON object", out error);
            if (reader.Read()) return Fail("malformed JSON: data after the object", out error);
        }
        catch (JsonException e)
        {
            return Fail("malformed JSON: " + e.Message.Split(" LineNumber", 2)[0], out error);
        }
        if (found is null) return Fail("missing field 'symbol'", out error);
        symbol = found;
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
