using Hft.Auth;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Hft.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace Hft.Server.Api;

/// <summary>Resolves the account a request acts for (from its token) and applies the per-account request rate limit.</summary>
public sealed class RequestAccount
{
    private readonly AccountRegistry _accounts;
    private readonly AccountRateLimiter _limiter;

    public RequestAccount(AccountRegistry accounts, AccountRateLimiter limiter)
    {
        _accounts = accounts;
        _limiter = limiter;
    }

    /// <summary>The caller's account id, or an error result (403 unknown account, 429 over its request rate).</summary>
    public bool TryResolve(HttpContext context, out int account, out IResult? error)
    {
        account = 0;
        string? name = TokenService.AccountOf(context.User);
        if (name is null || !_accounts.TryGet(name, out account))
        {
            error = ApiError.Result(StatusCodes.Status403Forbidden, "account_disabled", $"account '{name}' is not known to this venue");
            return false;
        }
        if (!_limiter.TryAcquire(account, out double retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            error = ApiError.Result(StatusCodes.Status429TooManyRequests, "rate_limited", "too many requests for this account; retry later");
            return false;
        }
        error = null;
        return true;
    }
}
