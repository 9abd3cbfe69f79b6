using Microsoft.AspNetCore.Http;

namespace Hft.Routing.Forwarding;

/// <summary>
/// A client request as it is sent upstream: method, path and query, the end-to-end headers, the buffered body, and
/// X-Forwarded-For/-Proto/-Host set by the gateway. Kept apart from <see cref="HttpRequestMessage"/> because a
/// refused request is sent a second time (a message can be sent only once).
/// </summary>
public sealed class ForwardRequest
{
    private static readonly HashSet<string> s_contentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Encoding", "Content-Language", "Content-Location", "Content-MD5", "Content-Range",
        "Content-Disposition", "Expires", "Last-Modified", "Allow",
    };

    private readonly List<KeyValuePair<string, string[]>> _headers = [];
    private readonly List<KeyValuePair<string, string[]>> _contentHeaders = [];

    private ForwardRequest(string method, string pathAndQuery, byte[]? body)
    {
        Method = method;
        PathAndQuery = pathAndQuery;
        Body = body;
    }

    public string Method { get; }

    /// <summary>Starts with '/'; the query string included.</summary>
    public string PathAndQuery { get; }

    /// <summary>Null: no body is sent.</summary>
    public byte[]? Body { get; }

    /// <summary>The client's request with its body (null or empty: none) and optionally another path and query.</summary>
    public static ForwardRequest From(HttpContext http, byte[]? body, string? pathAndQuery = null)
    {
        var request = http.Request;
        // Every method but GET/HEAD carries a body, empty if need be: SocketsHttpHandler may re-send a request WITHOUT
        // a body on a new connection when a reused one is closed after the headers went out (dotnet/runtime#86714);
        // a DELETE (cancel) must not be sent twice by the transport.
        bool hasBody = body is { Length: > 0 } || request.Method is not ("GET" or "HEAD");
        var forward = new ForwardRequest(request.Method,
            pathAndQuery ?? request.Path.ToUriComponent() + request.QueryString.ToUriComponent(), hasBody ? body ?? [] : null);
        var tokens = HopByHopHeaders.ConnectionTokens(request.Headers.Connection);
        foreach (var (name, values) in request.Headers)
        {
            if (HopByHopHeaders.SkipOnRequest(name, tokens)) continue;
            var list = s_contentHeaders.Contains(name) ? forward._contentHeaders : forward._headers;
            list.Add(new(name, values.Where(v => v is not null).ToArray()!));
        }
        var remote = http.Connection.RemoteIpAddress?.ToString();
        var earlier = tokens.Contains("X-Forwarded-For") ? [] : request.Headers["X-Forwarded-For"].Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        if (remote is not null) earlier.Add(remote);
        if (earlier.Count > 0) forward._headers.Add(new("X-Forwarded-For", [string.Join(", ", earlier)]));
        forward._headers.Add(new("X-Forwarded-Proto", [request.Scheme]));
        if (request.Host.HasValue) forward._headers.Add(new("X-Forwarded-Host", [request.Host.Value]));
        return forward;
    }

    /// <summary>A fresh message to <paramref name="baseUri"/> (scheme://host:port/).</summary>
    public HttpRequestMessage ToMessage(Uri baseUri)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(baseUri, PathAndQuery));
        foreach (var (name, values) in _headers) message.Headers.TryAddWithoutValidation(name, values);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            foreach (var (name, values) in _contentHeaders) message.Content.Headers.TryAddWithoutValidation(name, values);
            message.Content.Headers.ContentLength = Body.Length;
        }
        return message;
    }

    /// <summary>For tests and logs: the headers that would go upstream.</summary>
    public IEnumerable<KeyValuePair<string, string[]>> Headers => _headers.Concat(_contentHeaders);
}
