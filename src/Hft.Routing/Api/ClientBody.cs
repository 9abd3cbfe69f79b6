using Microsoft.AspNetCore.Http;

namespace Hft.Routing.Api;

/// <summary>
/// Reads a client request body up to max_body_bytes; null when larger. A larger body is still read (and dropped) up
/// to <see cref="DrainLimit"/> so that the 413 reaches a client that is still sending, instead of a connection reset.
/// </summary>
public static class ClientBody
{
    /// <summary>Most bytes of a too-large body read before answering 413 (Kestrel's own limit is this).</summary>
    public const int DrainLimit = 1024 * 1024;

    public static async Task<byte[]?> ReadAsync(HttpContext http, int limit)
    {
        if (http.Request.ContentLength is long declared && declared > Math.Max(limit, DrainLimit)) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        long total = 0;
        try
        {
            while (true)
            {
                int n = await http.Request.Body.ReadAsync(chunk, http.RequestAborted);
                if (n == 0) break;
                total += n;
                if (total <= limit) buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException)
        {
            return null;
        }
        return total > limit ? null : buffer.ToArray();
    }

    /// <summary>Kestrel's per-request body limit: the larger of max_body_bytes and <see cref="DrainLimit"/>.</summary>
    public static long KestrelLimit(int limit) => Math.Max(limit, DrainLimit);
}
