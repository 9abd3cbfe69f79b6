using System.Text.Json;

namespace Hft.Server.Api;

/// <summary>
/// Reads a request body that must be one flat JSON object with known fields: malformed JSON, another value type,
/// trailing content, unknown or repeated fields are refused with a message that names the problem.
/// </summary>
public static class StrictJsonObject
{
    /// <param name="fields">The fields by name (values cloned, valid after the call).</param>
    /// <param name="order">The field names in document order.</param>
    public static bool TryRead(ReadOnlySpan<byte> body, IReadOnlySet<string> allowed, out Dictionary<string, JsonElement> fields,
        out List<string> order, out string error)
    {
        fields = new Dictionary<string, JsonElement>(allowed.Count, StringComparer.Ordinal);
        order = new List<string>(allowed.Count);
        error = "";
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 4 });
            doc = JsonDocument.ParseValue(ref reader);
            if (reader.Read()) return Fail("unexpected content after the JSON object", out error);
        }
        catch (JsonException e)
        {
            int cut = e.Message.IndexOf(" LineNumber", StringComparison.Ordinal);
            return Fail("malformed JSON: " + (cut > 0 ? e.Message[..cut] : e.Message), out error);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Fail("the body must be a JSON object", out error);
            var root = doc.RootElement.Clone(); // one copy that outlives the pooled document, shared by every field
            foreach (var p in root.EnumerateObject())
            {
                if (!allowed.Contains(p.Name)) return Fail($"unknown field '{p.Name}'", out error);
                if (!fields.TryAdd(p.Name, p.Value)) return Fail($"field '{p.Name}' given twice", out error);
                order.Add(p.Name);
            }
        }
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
