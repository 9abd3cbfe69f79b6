using System.Text.Json;
using Hft.Auth;
using Hft.Auth.Guards;
using Hft.Auth.Sessions;
using Hft.Pipeline;
using Hft.Server.Auth;
using Hft.Server.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.Api;

/// <summary>
/// <c>POST /api/v1/auth/token</c>: exchanges an API key (<c>{"apiKey":"..."}</c>) for a short-lived JWT and opens a
/// session with a refresh token; <c>/auth/refresh</c> rotates the refresh token for a new JWT; <c>/auth/logout</c> ends
/// the session of the presenting token; <c>/admin/accounts/{account}/revoke-sessions</c> ends all of an account's.
/// </summary>
public static class AuthEndpoints
{
    private static readonly HashSet<string> s_tokenFields = new(StringComparer.Ordinal) { "apiKey" };
    private static readonly HashSet<string> s_refreshFields = new(StringComparer.Ordinal) { "refreshToken" };
    private static readonly HashSet<string> s_noFields = new(StringComparer.Ordinal);

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app, Action<HttpContext, string, string>? audit = null)
    {
        app.MapPost("/api/v1/auth/token", async (HttpContext http, ApiKeyStore keys, TokenService tokens, ISessionStore sessions, LoginThrottle logins,
            TradingPipeline pipeline) =>
        {
            var body = await RequestBody.ReadAsync(http);
            if (body.Error is { } refused) return refused;
            if (!StrictJsonObject.TryRead(body.Bytes, s_tokenFields, out var fields, out _, out var error))
                return ApiError.BadRequest("invalid_request", error);
            string? apiKey = fields.TryGetValue("apiKey", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (string.IsNullOrEmpty(apiKey)) return ApiError.BadRequest("invalid_request", "missing field 'apiKey' (a non-empty string)");
            // the address first (the key names no account until it is checked), then the account the key is for
            if (logins.Locked(http, RestLogin.RestChannel, null) is { } locked) return locked;
            if (!keys.TryResolve(apiKey, out var account, out var role))
                return logins.Failed(http, RestLogin.RestChannel, null, "unknown API key",
                    ApiError.Result(StatusCodes.Status401Unauthorized, "unauthorized", "unknown API key"));
            if (logins.Locked(http, RestLogin.RestChannel, account) is { } accountLocked) return accountLocked;
            if (RestLogin.IsDisabled(pipeline, account))
                return logins.Failed(http, RestLogin.RestChannel, account, "account disabled", RestLogin.Disabled(account));
            logins.Succeeded(account);
            // The API key is checked locally, so a login works while Redis is away: the token then belongs to a
            // session only this process knows (logout still works here), and comes without a refresh token.
            var grant = await sessions.CreateAsync(account, role, http.RequestAborted);
            string sessionId = grant?.SessionId ?? RefreshToken.NewSessionId();
            audit?.Invoke(http, "auth.token", $"granted {role} token for {account}" + (grant is null ? " (no refresh token: session store unavailable)" : ""));
            return Granted(tokens, account, role, sessionId, grant);
        });

        app.MapPost("/api/v1/auth/refresh", async (HttpContext http, TokenService tokens, ISessionStore sessions, TradingPipeline pipeline) =>
        {
            var body = await RequestBody.ReadAsync(http);
            if (body.Error is { } tooBig) return tooBig;
            if (!StrictJsonObject.TryRead(body.Bytes, s_refreshFields, out var fields, out _, out var error))
                return ApiError.BadRequest("invalid_request", error);
            if (!fields.TryGetValue("refreshToken", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() is not { Length: > 0 } presented)
                return ApiError.BadRequest("invalid_request", "missing field 'refreshToken' (a string)");
            var result = await sessions.RefreshAsync(presented, http.RequestAborted);
            switch (result.Status)
            {
                case RefreshStatus.Rotated when RestLogin.IsDisabled(pipeline, result.Account):
                    audit?.Invoke(http, "auth.refresh", $"denied: account {result.Account} is disabled");
                    return RestLogin.Disabled(result.Account);
                case RefreshStatus.Rotated:
                    audit?.Invoke(http, "auth.refresh", $"rotated session of {result.Account}");
                    return Granted(tokens, result.Account, result.Role, result.Grant!.SessionId, result.Grant);
                case RefreshStatus.Reused:
                    audit?.Invoke(http, "auth.refresh", $"denied: refresh token reused, session of {result.Account} revoked");
                    return ApiError.Result(StatusCodes.Status401Unauthorized, "refresh_token_reused",
                        "this refresh token was already used: the session is revoked, log in again with the API key");
                case RefreshStatus.Unavailable:
                    return ApiError.Result(StatusCodes.Status503ServiceUnavailable, "sessions_unavailable",
                        "the session store (Redis) is unreachable; retry, or log in again with the API key");
                default:
                    audit?.Invoke(http, "auth.refresh", "denied: invalid refresh token");
                    return ApiError.Result(StatusCodes.Status401Unauthorized, "invalid_refresh_token", "unknown, expired or revoked refresh token");
            }
        });

        app.MapPost("/api/v1/auth/logout", async (HttpContext http, ISessionStore sessions) =>
        {
            var body = await RequestBody.ReadAsync(http);
            if (body.Error is { } tooBig) return tooBig;
            if (body.Bytes.Length > 0 && !StrictJsonObject.TryRead(body.Bytes, s_noFields, out _, out _, out var error))
                return ApiError.BadRequest("invalid_request", "logout takes no body (or {}): " + error);
            string? sid = http.User.FindFirst(TokenService.SessionClaim)?.Value;
            if (!RefreshToken.IsSessionId(sid))
                return ApiError.BadRequest("not_a_session_token",
                    "this token belongs to no session (minted by ./hft token): it ends when it expires, or an admin revokes the account's tokens");
            await sessions.RevokeSessionAsync(sid!, http.RequestAborted);
            audit?.Invoke(http, "auth.logout", "session revoked");
            return Results.Json(new { revoked = true, sessionId = sid });
        }).RequireAuthorization(AuthSetup.TraderPolicy);

        app.MapPost("/api/v1/admin/accounts/{account}/revoke-sessions", async (string account, HttpContext http, ISessionStore sessions) =>
        {
            if (account.Length > 64) return ApiError.BadRequest("invalid_request", "account names are at most 64 characters");
            int ended = await sessions.RevokeAccountAsync(account, http.RequestAborted);
            audit?.Invoke(http, "admin.revoke_sessions", $"revoked {ended} session(s) and earlier tokens of {account}");
            return Results.Json(new { account, sessionsRevoked = ended, tokensIssuedBefore = DateTimeOffset.UtcNow });
        }).RequireAuthorization(AuthSetup.AdminPolicy);
    }

    private static IResult Granted(TokenService tokens, string account, string role, string sessionId, SessionGrant? grant)
        => Results.Json(new
        {
            token = tokens.Mint(account, role, sessionId: sessionId),
            tokenType = "Bearer",
            expiresIn = tokens.LifetimeSeconds,
            account,
            role,
            refreshToken = grant?.RefreshToken,
            refreshExpiresAt = grant?.ExpiresAt,
        });
}
