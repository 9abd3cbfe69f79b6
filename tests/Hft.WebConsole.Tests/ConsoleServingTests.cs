using System.Net;
using System.Text.RegularExpressions;
using Hft.Node;
using Hft.Server.Listeners;
using Hft.Server.Tests.Support;
using Hft.WebConsole.Tests.Support;

namespace Hft.WebConsole.Tests;

/// <summary>
/// How the server hands out the console (plain HTTP, no browser): the page at / and every embedded file with its
/// content type, a strict Content-Security-Policy, nosniff and revalidation; no inline script; the API listener only.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleServingTests(ConsoleFixture fixture)
{
    private HttpClient Http => fixture.Server.Anonymous;

    [Fact]
    public async Task The_page_at_root_has_a_strict_policy_nosniff_and_no_inline_script()
    {
        using var response = await Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains($"connect-src 'self' ws://{fixture.Server.BaseAddress.Authority}", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());

        string html = await response.Content.ReadAsStringAsync();
        var scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Matches(@"src=""/console/js/[a-z-]+\.js""", s.Value)); // files only, never inline
        Assert.DoesNotMatch(InlineHandler(), html); // no onclick= and the like (CSP would block them anyway)
    }

    [Fact]
    public async Task Every_embedded_file_is_served_with_its_type_and_revalidates_by_etag()
    {
        Assert.Contains("js/main.js", ConsoleAssets.Embedded.Paths);
        foreach (var path in ConsoleAssets.Embedded.Paths)
        {
            using var response = await Http.GetAsync("/console/" + path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, path);
            Assert.True(response.Headers.Contains("Content-Security-Policy"), path);
            string expected = Path.GetExtension(path) switch { ".js" => "text/javascript", ".css" => "text/css", ".html" => "text/html", _ => "" };
            if (expected.Length > 0) Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);

            using var again = new HttpRequestMessage(HttpMethod.Get, "/console/" + path);
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var cached = await Http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
        }
        using var missing = await Http.GetAsync("/console/js/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var outside = await Http.GetAsync("/console/../api/v1/instruments");
        Assert.NotEqual("text/javascript", outside.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task With_two_listeners_the_console_is_on_the_api_listener_only()
    {
        var config = ApiServerFixture.DevelopmentConfig();
        config = config with { Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false }, Feed = config.Feed with { Enabled = false } };
        await using var node = TradingNode.Create(config, logging: _ => { }, listeners: ListenerPlan.SeparateOnFreePorts);
        await node.StartAsync();
        using var api = new HttpClient { BaseAddress = node.Api!.Listeners.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var operations = new HttpClient { BaseAddress = node.Api.Listeners.OperationsUrl, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/console/js/main.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operations.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operations.GetAsync("/console/js/main.js")).StatusCode);
        await node.StopAsync();
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}
