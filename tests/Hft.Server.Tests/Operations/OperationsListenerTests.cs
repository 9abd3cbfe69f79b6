using System.Net.WebSockets;
using Hft.Auth;
using Hft.Server.Tests.Support;
using static Hft.Server.Tests.Support.SeparateListenersFixture;

namespace Hft.Server.Tests.Operations;

/// <summary>
/// The staging profile's two listeners on real Kestrel: which port serves what, and who reads /metrics and /debug on
/// the operations port (allowed_cidrs, the ops token, admin and trader tokens).
/// </summary>
public sealed class OperationsListenerTests
{
    private static readonly string[] s_operationsPaths = ["/metrics", "/debug/latency", "/debug/orderbook/BTCUSD", "/debug/orderbook/BTCUSD?level=3", "/debug/state-hash"];

    [Fact]
    public async Task The_api_port_answers_404_for_metrics_and_debug_and_the_operations_port_serves_them()
    {
        await using var s = await StartAsync();
        Assert.NotEqual(s.Api.BaseAddress!.Port, s.Operations.BaseAddress!.Port);
        foreach (var path in s_operationsPaths)
        {
            var (status, text) = await GetAsync(s.Api, path, s.Token("ADMIN", Roles.Admin));
            Assert.True(status == 404, $"API port GET {path}: {status} {text}");
            Assert.Contains("\"not_found\"", text);
        }
        var metrics = await GetAsync(s.Operations, "/metrics");
        Assert.Equal(200, metrics.Status);
        Assert.Contains("\nhft_accepting 1", metrics.Text);
        Assert.Equal(200, (await GetAsync(s.Operations, "/debug/latency")).Status);
        Assert.Equal(200, (await GetAsync(s.Operations, "/debug/orderbook/BTCUSD")).Status);
    }

    [Fact]
    public async Task The_operations_port_serves_neither_the_api_nor_the_websocket_and_both_serve_health_and_ready()
    {
        await using var s = await StartAsync();
        foreach (var path in new[] { "/api/v1/instruments", "/api/v1/book/BTCUSD", "/openapi.json" })
        {
            Assert.Equal(200, (await GetAsync(s.Api, path)).Status);
            Assert.Equal(404, (await GetAsync(s.Operations, path)).Status);
        }
        using (var ws = new ClientWebSocket())
        {
            var e = await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(new Uri($"ws://{s.Operations.BaseAddress!.Authority}/ws"), CancellationToken.None));
            Assert.Contains("404", e.Message);
        }
        foreach (var client in new[] { s.Api, s.Operations })
            foreach (var path in new[] { "/health", "/ready", "/replication/status" })
                Assert.Equal(200, (await GetAsync(client, path)).Status);
    }

    [Fact]
    public async Task Without_an_ops_token_configured_the_operations_port_gives_any_allowed_address_the_per_account_series()
    {
        await using var s = await StartAsync();
        await s.RestBuyAsync("T1");
        var (status, text) = await GetAsync(s.Operations, "/metrics");
        Assert.Equal(200, status);
        Assert.Contains("hft_open_orders{account=\"T1\"} 1", text);
        var l3 = await GetAsync(s.Operations, "/debug/orderbook/BTCUSD?level=3");
        Assert.Equal(200, l3.Status);
        Assert.Contains("\"account\":\"T1\"", l3.Text);
    }

    [Fact]
    public async Task With_an_ops_token_configured_only_it_or_an_admin_token_sees_the_per_account_series_and_a_wrong_one_is_refused()
    {
        const string token = "staging-ops-token";
        await using var s = await StartAsync(c => c with { Monitoring = c.Monitoring with { OpsTokenSha256 = Sha256Hex(token) } });
        await s.RestBuyAsync("T1");

        var anonymous = await GetAsync(s.Operations, "/metrics");
        Assert.Equal(200, anonymous.Status); // the aggregate view: every family but the per-account ones
        Assert.Contains("hft_orders_total{", anonymous.Text);
        Assert.DoesNotContain("account=", anonymous.Text);
        Assert.DoesNotContain("hft_open_orders", anonymous.Text);

        foreach (var bearer in new[] { token, s.Token("ADMIN", Roles.Admin) })
        {
            var full = await GetAsync(s.Operations, "/metrics", bearer);
            Assert.Equal(200, full.Status);
            Assert.Contains("hft_open_orders{account=\"T1\"} 1", full.Text);
            Assert.Contains("\"account\":\"T1\"", (await GetAsync(s.Operations, "/debug/orderbook/BTCUSD?level=3", bearer)).Text);
        }

        Assert.Equal(401, (await GetAsync(s.Operations, "/metrics", "not-the-token")).Status);
        Assert.Equal(403, (await GetAsync(s.Operations, "/metrics", s.Token("T1"))).Status);
        Assert.Equal(401, (await GetAsync(s.Operations, "/debug/orderbook/BTCUSD?level=3")).Status);
        Assert.Equal(200, (await GetAsync(s.Operations, "/debug/orderbook/BTCUSD")).Status);
    }

    [Fact]
    public async Task An_address_outside_allowed_cidrs_is_refused_metrics_and_debug_but_not_health_and_the_refusal_is_audited()
    {
        await using var s = await StartAsync(c => c with { Monitoring = c.Monitoring with { AllowedCidrs = ["10.0.0.0/8", "fc00::/7"] } });
        foreach (var path in new[] { "/metrics", "/debug/latency", "/debug/orderbook/BTCUSD" })
        {
            var (status, text) = await GetAsync(s.Operations, path);
            Assert.True(status == 403, $"GET {path}: {status} {text}");
            Assert.Contains("127.0.0.1 is not in [monitoring] allowed_cidrs", text);
        }
        Assert.Equal(403, (await GetAsync(s.Operations, "/metrics", s.Token("ADMIN", Roles.Admin))).Status); // no token opens the network rule
        Assert.Equal(200, (await GetAsync(s.Operations, "/health")).Status);
        Assert.Equal(200, (await GetAsync(s.Operations, "/ready")).Status);
        Assert.Equal(200, (await GetAsync(s.Api, "/api/v1/instruments")).Status);
        using var audit = new StreamReader(new FileStream(s.Server.Audit.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        var lines = (await audit.ReadToEndAsync()).Split('\n');
        Assert.Contains(lines, l => l.Contains("\"action\":\"ops.refused\"", StringComparison.Ordinal) && l.Contains("GET /metrics", StringComparison.Ordinal)
            && l.Contains("\"remote\":\"127.0.0.1\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_start_up_lines_say_which_port_serves_the_api_and_which_the_operations_endpoints()
    {
        await using var s = await StartAsync();
        var roles = s.Server.Api!.ListenerRoles;
        Assert.Equal(2, roles.Count);
        Assert.Equal(s.Api.BaseAddress!.Port, roles[0].Url.Port);
        Assert.StartsWith("API: /api/v1, /ws", roles[0].Serves, StringComparison.Ordinal);
        Assert.Equal(s.Operations.BaseAddress!.Port, roles[1].Url.Port);
        Assert.StartsWith("operations: /metrics, /debug", roles[1].Serves, StringComparison.Ordinal);
    }

    private static string Sha256Hex(string text)
        => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
