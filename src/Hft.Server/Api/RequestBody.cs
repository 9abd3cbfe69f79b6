using System.Buffers;
using Hft.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Server.Api;

/// <summary>
/// Reads a JSON request body up to the configured limit (Kestrel enforces it too): larger is 413, a non-empty body not
/// declared as JSON (<c>Content-Type: application/json</c>, or a <c>+json</c> type) is 415, both in the API's error shape.
/// </summary>
public readonly record struct RequestBody(byte[] Bytes, ApiProblem? Problem)
{
    /// <summary>The refusal as a result to return (null when the body was read).</summary>
    public IResult? Error => Problem?.ToResult();

    /// <summary>
    /// Buffers the whole body in Kestrel's own pipe (no copies while it arrives) and copies it out once, at its exact
    /// size: one allocation per request.
    /// </summary>
    public static async Task<RequestBody> ReadAsync(HttpContext http)
    {
        // This server's [server] max_request_body_bytes (its own configuration: servers in one process may differ).
        int limit = http.RequestServices.GetRequiredService<HftConfig>().Server.MaxRequestBodyBytes;
        if (http.Request.ContentLength is long declared && declared > limit) return TooLarge(limit);
        var reader = http.Request.BodyReader;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(http.RequestAborted);
                var body = read.Buffer;
                if (body.Length > limit)
                {
                    reader.AdvanceTo(body.End);
                    return TooLarge(limit);
                }
                if (read.IsCompleted || read.IsCanceled)
                {
                    byte[] bytes = body.ToArray();
                    reader.AdvanceTo(body.End);
                    return bytes.Length > 0 && !http.Request.HasJsonContentType() ? NotJson() : new RequestBody(bytes, null);
                }
                reader.AdvanceTo(body.Start, body.End); // nothing consumed: wait for the rest
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            return TooLarge(limit);
        }
    }

    private static RequestBody TooLarge(int limit)
        => new([], new ApiProblem(StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"request body larger than {limit} bytes"));

    private static RequestBody NotJson()
        => new([], new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
            "the body must be JSON, sent with Content-Type: application/json"));
}
