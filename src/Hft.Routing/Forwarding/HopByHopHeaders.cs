namespace Hft.Routing.Forwarding;

/// <summary>
/// Which headers a proxy must not pass on (RFC 9110 §7.6.1): the fixed hop-by-hop set, plus every header the
/// <c>Connection</c> header names (a client sending <c>Connection: authorization</c> makes Authorization hop-by-hop).
/// Host, Content-Length and Expect are also not copied: the upstream request gets its own.
/// The <c>X-Forwarded-*</c> headers a client sends are replaced by the gateway's own.
/// </summary>
public static class HopByHopHeaders
{
    private static readonly HashSet<string> s_always = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Expect", "Alt-Svc",
    };

    private static readonly HashSet<string> s_forwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded",
    };

    /// <summary>The header names listed in <c>Connection</c> values (comma-separated tokens).</summary>
    public static HashSet<string> ConnectionTokens(IEnumerable<string?> connectionValues)
    {
        var tokens = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in connectionValues)
        {
            if (value is null) continue;
            foreach (var token in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) tokens.Add(token);
        }
        return tokens;
    }

    /// <summary>True when a request header is not to be forwarded upstream.</summary>
    public static bool SkipOnRequest(string name, HashSet<string> connectionTokens)
        => s_always.Contains(name) || s_forwarded.Contains(name) || connectionTokens.Contains(name) || name.StartsWith(':');

    /// <summary>True when a response header is not to be relayed to the client.</summary>
    public static bool SkipOnResponse(string name, HashSet<string> connectionTokens)
        => (s_always.Contains(name) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) || connectionTokens.Contains(name);
}
