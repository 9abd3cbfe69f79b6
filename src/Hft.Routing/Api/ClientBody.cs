using Microsoft.AspNetCore.Http;

namespace Hft.Routing.Api;

/// <summary>Reads a client request body up to max_body_bytes (Kestrel enforces the same limit); null when larger.</summary>
public static class ClientBody
{
    public static async Task<byte[]?> ReadAsync(HttpContext http, int limit)
    {
        if (http.Request.ContentLength is long declared && declared > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                int n = await http.Request.Body.ReadAsync(chunk, http.RequestAborted);
                if (n == 0) break;
                if (buffer.Length + n > limit) return null;
                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException)
        {
            return null;
        }
        return buffer.ToArray();
    }
}
