using System.Text.Json;
using Hft.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.Api;

/// <summary><c>POST /api/v1/auth/token</c>: exchanges an API key (<c>{"apiKey":"..."}</c>) for a short-lived JWT.</summary>
public static class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app, Action<HttpContext, string, string>? audit = null)
    {
        app.MapPost("/api/v1/auth/token", async (HttpContext http, ApiKeyStore keys, TokenService tokens) =>
        {
            var body = await RequestBody.ReadAsync(http);
            if (body.Error is { } tooBig) return tooBig;
            string? apiKey = null;
            try
            {
                using var doc = JsonDocument.Parse(body.Bytes);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("apiKey", out var k)
                    && k.ValueKind == JsonValueKind.String)
                    apiKey = k.GetString();
            }
            catch (JsonException)
            {
                return ApiError.BadRequest("invalid_request", "malformed JSON");
            }
            if (string.IsNullOrEmpty(apiKey)) return ApiError.BadRequest("invalid_request", "missing field 'apiKey'");
            if (!keys.TryResolve(apiKey, out var account, out var role))
            {
                audit?.Invoke(http, "auth.token", "denied: unknown api key");
                return ApiError.Result(StatusCodes.Status401Unauthorized, "unauthorized", "unknown API key");
            }
            audit?.Invoke(http, "auth.token", $"granted {role} token for {account}");
            return Results.Json(new { token = tokens.Mint(account, role), tokenType = "Bearer", expiresIn = tokens.LifetimeSeconds, account, role });
        });
    }
}
