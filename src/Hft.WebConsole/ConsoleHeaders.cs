using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Hft.WebConsole;

/// <summary>
/// The security and cache headers of every console response: a strict Content-Security-Policy (scripts, styles,
/// images and fonts only from this origin, no inline script; connections to this origin and its WebSocket; never
/// framed), no MIME sniffing, no referrer, and revalidation on each load (the entity tag makes that a 304).
/// </summary>
public static partial class ConsoleHeaders
{
    public static void Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(http.Request.Host);
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-cache";
    }

    /// <summary>The policy; the WebSocket source names the request's own host when it is a plain host[:port].</summary>
    public static string ContentSecurityPolicy(HostString host)
    {
        string sockets = host.HasValue && SafeHost().IsMatch(host.Value) ? $" ws://{host.Value} wss://{host.Value}" : "";
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + $"connect-src 'self'{sockets}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    [GeneratedRegex(@"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")]
    private static partial Regex SafeHost();
}
