using Microsoft.AspNetCore.Http;

namespace Hft.Server.Api;

/// <summary>Reads a request body up to the configured limit (Kestrel enforces it too); larger is a 413 in the API's error shape.</summary>
public readonly record struct RequestBody(byte[] Bytes, IResult? Error)
{
    public static int Limit { get; set; } = 16 * 1024;

    public static async Task<RequestBody> ReadAsync(HttpContext http)
    {
        if (http.Request.ContentLength is long declared && declared > Limit) return TooLarge();
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                int n = await http.Request.Body.ReadAsync(chunk, http.RequestAborted);
                if (n == 0) break;
                if (buffer.Length + n > Limit) return TooLarge();
                buffer.Write(chunk, 0, n);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            return TooLarge();
        }
        return new RequestBody(buffer.ToArray(), null);
    }

    private static RequestBody TooLarge()
        => new([], ApiError.Result(StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"request body larger than {Limit} bytes"));
}
