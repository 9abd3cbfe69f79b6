using System.Globalization;
using System.Text.Json.Nodes;

namespace Hft.Routing.Api;

/// <summary>
/// How the answers of every group to one fan-out request become one answer. Each returns null when a group's body
/// does not have the shape the server's API documents (the caller answers upstream_error).
/// <list type="bullet">
/// <item>GET /orders, GET /trades: the arrays concatenated, newest first (createdAt / time), cut to the request's
/// limit (each group applied the same limit, so the newest <c>limit</c> overall are all there).</item>
/// <item>DELETE /orders (mass cancel): <c>canceled</c> summed, <c>ids</c> concatenated.</item>
/// <item>GET /positions, GET /instruments: concatenated (a symbol lives in one group, so no entry repeats).</item>
/// <item>GET /account: per group, not summed: exposure, utilization and limits are each group's own
/// (<c>{"account":"A1","groups":[{"group":0,"summary":{...}},...]}</c>).</item>
/// </list>
/// </summary>
public static class FanOutMerge
{
    public static JsonNode? Newest(IReadOnlyList<(int Group, JsonNode? Body)> parts, string timeField, int limit)
    {
        var all = new List<(DateTimeOffset Time, long Id, JsonNode Item)>();
        foreach (var (_, body) in parts)
        {
            if (body is not JsonArray array) return null;
            foreach (var item in array)
            {
                if (item is not JsonObject o) return null;
                var time = o[timeField] is JsonValue t && t.TryGetValue(out string? text)
                           && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                    ? parsed : DateTimeOffset.MinValue;
                long id = o["id"] is JsonValue i && i.TryGetValue(out long v) ? v
                    : o["tradeId"] is JsonValue ti && ti.TryGetValue(out long tv) ? tv : 0;
                all.Add((time, id, item));
            }
        }
        all.Sort((a, b) => b.Time != a.Time ? b.Time.CompareTo(a.Time) : b.Id.CompareTo(a.Id));
        var result = new JsonArray();
        foreach (var (_, _, item) in all.Take(limit)) result.Add(item.DeepClone());
        return result;
    }

    public static JsonNode? Concat(IReadOnlyList<(int Group, JsonNode? Body)> parts)
    {
        var result = new JsonArray();
        foreach (var (_, body) in parts)
        {
            if (body is not JsonArray array) return null;
            foreach (var item in array) result.Add(item?.DeepClone());
        }
        return result;
    }

    public static JsonNode? MassCancel(IReadOnlyList<(int Group, JsonNode? Body)> parts)
    {
        long canceled = 0;
        var ids = new JsonArray();
        foreach (var (_, body) in parts)
        {
            if (body is not JsonObject o || o["canceled"] is not JsonValue c || !c.TryGetValue(out long n) || o["ids"] is not JsonArray list) return null;
            canceled += n;
            foreach (var id in list) ids.Add(id?.DeepClone());
        }
        return new JsonObject { ["canceled"] = canceled, ["ids"] = ids };
    }

    public static JsonNode? Account(IReadOnlyList<(int Group, JsonNode? Body)> parts)
    {
        string? account = null;
        var groups = new JsonArray();
        foreach (var (group, body) in parts)
        {
            if (body is not JsonObject o) return null;
            account ??= o["account"] is JsonValue a && a.TryGetValue(out string? name) ? name : null;
            groups.Add(new JsonObject { ["group"] = group, ["summary"] = o.DeepClone() });
        }
        return new JsonObject { ["account"] = account, ["groups"] = groups };
    }

    /// <summary>The <c>limit</c> query parameter as the server reads it: default, clamped to 1..max.</summary>
    public static int Limit(string? text, int defaultValue, int max)
        => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? Math.Clamp(n, 1, max) : defaultValue;
}
