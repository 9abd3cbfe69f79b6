using System.Text.Json;

namespace Hft.Server.Api;

/// <summary>
/// Reads a request body that must be one flat JSON object with known fields: what <see cref="JsonInput"/> refuses
/// (malformed JSON, trailing content, deep nesting, strings that are not Unicode), another value type, unknown or
/// repeated fields are refused with a message that names the problem.
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
        if (!JsonInput.TryParse(body, out var doc, out error)) return false;
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
