using System.Text.Json;
using System.Text.RegularExpressions;
using Hft.Node;
using Hft.Server.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Server.Tests.Operations;

/// <summary>/openapi.json: a valid OpenAPI 3 document describing every route the server maps.</summary>
public sealed partial class OpenApiTests
{
    private static readonly string[] s_statusCodes = ["400", "401", "403", "404", "409", "413", "422", "429", "503"];

    [Fact]
    public async Task Document_is_openapi_3_and_describes_every_mapped_route()
    {
        await using var s = await MetricsServerFixture.StartAsync();
        using var response = await s.Http.GetAsync("/openapi.json");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString());
        var paths = root.GetProperty("paths");

        var mapped = MappedRoutes(s.Server);
        Assert.Contains(("/api/v1/orders", "post"), mapped);
        Assert.Contains(("/metrics", "get"), mapped);
        var missing = mapped.Where(r => !(paths.TryGetProperty(r.Path, out var item) && item.TryGetProperty(r.Method, out _))).ToList();
        Assert.True(missing.Count == 0, "routes missing from openapi.json: " + string.Join(", ", missing.Select(m => $"{m.Method.ToUpperInvariant()} {m.Path}")));
    }

    [Fact]
    public void Document_lists_the_api_the_issue_promises_with_errors_security_and_decimal_strings()
    {
        using var doc = JsonDocument.Parse(Hft.Server.Operations.OperationsEndpoints.OpenApiDocument.ToArray());
        var root = doc.RootElement;
        var paths = root.GetProperty("paths");
        (string Path, string Method)[] promised =
        [
            ("/api/v1/orders", "post"), ("/api/v1/orders", "get"), ("/api/v1/orders", "delete"), ("/api/v1/orders/{id}", "delete"),
            ("/api/v1/orders/{id}", "patch"), ("/api/v1/positions", "get"), ("/api/v1/account", "get"), ("/api/v1/trades", "get"),
            ("/api/v1/book/{symbol}", "get"), ("/api/v1/trades/{symbol}", "get"), ("/api/v1/instruments", "get"), ("/api/v1/auth/token", "post"),
            ("/api/v1/admin/instruments/{symbol}/halt", "post"), ("/api/v1/admin/instruments/{symbol}/resume", "post"),
            ("/api/v1/admin/instruments/{symbol}/mark", "post"), ("/api/v1/admin/halt", "post"), ("/api/v1/admin/resume", "post"),
            ("/api/v1/admin/accounts", "get"), ("/api/v1/admin/accounts/{account}/cancel-all", "post"),
            ("/api/v1/admin/accounts/{account}/disable", "post"), ("/api/v1/admin/accounts/{account}/enable", "post"),
            ("/api/v1/admin/accounts/{account}/limits", "put"),
        ];
        foreach (var (path, method) in promised)
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path}");

        var components = root.GetProperty("components");
        var bearer = components.GetProperty("securitySchemes").GetProperty("bearerAuth");
        Assert.Equal(("http", "bearer"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString()));
        var error = components.GetProperty("schemas").GetProperty("Error").GetProperty("properties").GetProperty("error").GetProperty("properties");
        Assert.True(error.TryGetProperty("code", out _) && error.TryGetProperty("message", out _));
        Assert.Equal("string", components.GetProperty("schemas").GetProperty("Decimal").GetProperty("type").GetString());

        // every status code of the issue is used, and placing an order documents the ones it can return
        var used = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _))
            .SelectMany(o => o.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name)).ToHashSet();
        Assert.All(s_statusCodes, code => Assert.Contains(code, used));
        var place = paths.GetProperty("/api/v1/orders").GetProperty("post").GetProperty("responses");
        Assert.All(new[] { "201", "400", "401", "403", "409", "413", "422", "429", "503" }, code => Assert.True(place.TryGetProperty(code, out _), code));

        // every $ref resolves
        var text = root.GetRawText();
        foreach (Match m in RefPattern().Matches(text))
        {
            var target = components.GetProperty(m.Groups[1].Value);
            Assert.True(target.TryGetProperty(m.Groups[2].Value, out _), m.Value);
        }
        // every operation has a unique operationId
        var ids = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).Where(o => o.Name != "parameters")
            .Select(o => o.Value.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    /// <summary>(path with route constraints removed, lower-case method) of every endpoint the server maps, fallback excepted.</summary>
    private static List<(string Path, string Method)> MappedRoutes(TradingNode server)
    {
        var routes = new List<(string, string)>();
        foreach (var endpoint in server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (pattern.Contains('*')) continue; // the JSON 404 fallback
            var path = "/" + ConstraintPattern().Replace(pattern, "{$1}").Trim('/');
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods) routes.Add((path, method.ToLowerInvariant()));
        }
        return routes;
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(:[^}]*)?\}")]
    private static partial Regex ConstraintPattern();

    [GeneratedRegex("\"#/components/([A-Za-z]+)/([A-Za-z0-9_]+)\"")]
    private static partial Regex RefPattern();
}
