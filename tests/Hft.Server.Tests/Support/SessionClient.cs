using System.Net;
using System.Text.Json;

namespace Hft.Server.Tests.Support;

/// <summary>A login (token response) and the calls the session tests make with it.</summary>
public sealed record Login(string Token, string? RefreshToken, string Account, string Role)
{
    public static Login From(ApiResult r)
    {
        r.AssertStatus(HttpStatusCode.OK);
        var refresh = r.Body.GetProperty("refreshToken");
        return new Login(r.Str("token"), refresh.ValueKind == JsonValueKind.String ? refresh.GetString() : null, r.Str("account"), r.Str("role"));
    }
}

public static class SessionCalls
{
    public static async Task<Login> LoginAsync(this ApiServerFixture api, string apiKey = "dev-key-A1")
        => Login.From(await api.Anonymous.Post("api/v1/auth/token", new { apiKey }));

    public static Task<ApiResult> RefreshAsync(this ApiServerFixture api, string? refreshToken)
        => api.Anonymous.Post("api/v1/auth/refresh", new { refreshToken });

    public static async Task<ApiResult> LogoutAsync(this ApiServerFixture api, string token, string? body = null)
    {
        using var client = api.NewClient(token);
        return await client.Send(HttpMethod.Post, "api/v1/auth/logout", body);
    }

    /// <summary>GET /api/v1/account with <paramref name="token"/>: 200 while the token works.</summary>
    public static async Task<ApiResult> AccountAsync(this ApiServerFixture api, string token)
    {
        using var client = api.NewClient(token);
        return await client.Get("api/v1/account");
    }

    public static async Task<ApiResult> PlaceAsync(this ApiServerFixture api, string token, object order)
    {
        using var client = api.NewClient(token);
        return await client.Place(order);
    }

    public static async Task<PrometheusText> MetricsAsync(this ApiServerFixture api)
        => PrometheusText.Parse((await api.Anonymous.Get("metrics")).AssertStatus(HttpStatusCode.OK).Text);
}
