using System.Globalization;
using Hft.Auth.Guards;
using Hft.Pipeline;
using Hft.Server.Operations;
using Microsoft.AspNetCore.Http;

namespace Hft.Server.Api;

/// <summary>
/// The failed-login throttle (<see cref="LoginThrottle"/>, shared with every gateway) as the REST and WebSocket doors
/// use it: asked before a secret is checked, told of each failure (which it audits as <c>&lt;channel&gt;.login_failed</c>)
/// and success; a lockout is answered 429 <c>login_locked</c> with a Retry-After.
/// </summary>
public static class RestLogin
{
    public const string RestChannel = "rest";
    public const string WsChannel = "ws";

    /// <summary>Null when <paramref name="account"/> (null: unknown yet) and the caller's address may try a login now, else the 429 to answer.</summary>
    public static IResult? Locked(this LoginThrottle logins, HttpContext http, string channel, string? account)
    {
        if (logins.MayTry(channel, account, http.Connection.RemoteIpAddress, out var retryAfter)) return null;
        HttpAudit.MarkAudited(http);
        int seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiError.Result(StatusCodes.Status429TooManyRequests, "login_locked", LockedMessage(seconds));
    }

    public static string LockedMessage(int seconds) => $"too many failed logins from this address or for this account; retry in {seconds} s";

    /// <summary>Records a failed login (audited by the throttle) and returns <paramref name="refusal"/>.</summary>
    public static IResult Failed(this LoginThrottle logins, HttpContext http, string channel, string? account, string reason, IResult refusal)
    {
        logins.Failed(channel, account, http.Connection.RemoteIpAddress, reason);
        HttpAudit.MarkAudited(http);
        return refusal;
    }

    /// <summary>True when <paramref name="account"/> is one of the venue's accounts and its kill switch is on (or it is disabled in the configuration).</summary>
    public static bool IsDisabled(TradingPipeline pipeline, string account)
        => pipeline.Accounts.TryGet(account, out int id) && pipeline.RiskBook.FindAccount(id) is { Enabled: false };

    public static IResult Disabled(string account)
        => ApiError.Result(StatusCodes.Status403Forbidden, "account_disabled", $"account '{account}' is disabled: no tokens are issued for it");
}
