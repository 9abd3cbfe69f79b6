using Hft.Auth;
using Hft.Auth.Audit;
using Microsoft.AspNetCore.Http;

namespace Hft.Server.Operations;

/// <summary>Audit lines of HTTP requests: the subject from the request's token, the remote address, and a mark that the request was audited.</summary>
public static class HttpAudit
{
    private static readonly object s_auditedKey = new();

    /// <summary>Audits an action of the request's caller (subject from its token) and marks the request as audited.</summary>
    public static void Write(this AuditLog audit, HttpContext http, string action, string target, string result, string? detail = null, bool durable = false)
    {
        http.Items[s_auditedKey] = true;
        audit.Write(SubjectOf(http), action, target, result, http.Connection.RemoteIpAddress?.ToString(), detail, durable);
    }

    /// <summary>Marks the request as audited where the line was written by another piece (the login throttle).</summary>
    public static void MarkAudited(HttpContext http) => http.Items[s_auditedKey] = true;

    /// <summary>True when this request already wrote an audit line.</summary>
    public static bool WasAudited(HttpContext http) => http.Items.ContainsKey(s_auditedKey);

    public static string SubjectOf(HttpContext http)
        => http.User.Identity?.IsAuthenticated == true && TokenService.AccountOf(http.User) is { Length: > 0 } account ? account : AuditLog.Anonymous;
}
