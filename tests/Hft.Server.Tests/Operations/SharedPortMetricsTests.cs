using Hft.Auth;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Operations;

/// <summary>
/// The development profile's one shared port (API and operations): an anonymous scrape never carries the per-account
/// series; the ops token or an admin token adds them; a trader's token is refused; allowed_cidrs still guards
/// /metrics and /debug there without touching the API.
/// </summary>
public sealed class SharedPortMetricsTests
{
    /// <summary>A1 lifts part of A2's sell: both hold positions, PnL and exposure; A2 has an open order.</summary>
    private static async Task TradeAsync(MetricsServerFixture s)
    {
        Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA2, "BTCUSD", "sell", "50000", "0.5")).Status);
        Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "50000", "0.2")).Status);
    }

    private static readonly string[] s_accountFamilies = ["hft_position", "hft_pnl", "hft_exposure", "hft_risk_utilization", "hft_open_orders", "hft_account_enabled"];

    [Fact]
    public async Task An_anonymous_scrape_of_the_shared_development_port_has_no_account_series()
    {
        await using var s = await MetricsServerFixture.StartAsync();
        Assert.True(s.Server.Api!.Listeners.Shared);
        await TradeAsync(s);
        string text = await s.GetTextAsync("/metrics");
        Assert.DoesNotContain("account=", text);
        var m = PrometheusText.Parse(text);
        Assert.All(s_accountFamilies, family => Assert.DoesNotContain(family, m.Types.Keys));
        Assert.Equal(1, m.Value("hft_trades_total", ("symbol", "BTCUSD"))); // the rest of the exposition is all there
    }

    [Fact]
    public async Task The_ops_token_or_an_admin_token_adds_the_account_series_and_a_trader_token_is_refused()
    {
        await using var s = await MetricsServerFixture.StartAsync();
        await TradeAsync(s);
        foreach (var bearer in new[] { MetricsServerFixture.OpsToken, s.AdminToken })
        {
            var m = PrometheusText.Parse(await s.GetTextAsync("/metrics", bearer));
            Assert.Equal(0.2, m.Value("hft_position", ("account", "A1"), ("symbol", "BTCUSD")), 9);
            Assert.Equal(1, m.Value("hft_open_orders", ("account", "A2")));
            Assert.All(s_accountFamilies, family => Assert.Contains(family, m.Types.Keys));
        }
        var (trader, body) = await s.SendAsync(HttpMethod.Get, "/metrics", s.TokenA1);
        Assert.Equal((403, "forbidden"), (trader, body.GetProperty("error").GetProperty("code").GetString()));
        Assert.Equal(401, (await s.SendAsync(HttpMethod.Get, "/metrics", "dev-ops-token-wrong")).Status);
    }

    [Fact]
    public async Task Without_an_ops_token_configured_the_shared_port_still_shows_account_series_only_to_an_admin_token()
    {
        await using var s = await MetricsServerFixture.StartAsync(c => c with { Monitoring = c.Monitoring with { OpsTokenSha256 = null } });
        await TradeAsync(s);
        Assert.DoesNotContain("account=", await s.GetTextAsync("/metrics"));
        Assert.Contains("hft_position{account=\"A1\",symbol=\"BTCUSD\"}", await s.GetTextAsync("/metrics", s.AdminToken));
        Assert.Equal(401, (await s.SendAsync(HttpMethod.Get, "/metrics", MetricsServerFixture.OpsToken)).Status); // no token to match
    }

    [Fact]
    public async Task Allowed_cidrs_refuse_metrics_and_debug_to_other_addresses_on_the_shared_port_but_not_the_api()
    {
        await using var s = await MetricsServerFixture.StartAsync(c => c with { Monitoring = c.Monitoring with { AllowedCidrs = ["192.168.0.0/16"] } });
        Assert.Equal(403, (await s.SendAsync(HttpMethod.Get, "/metrics", MetricsServerFixture.OpsToken)).Status);
        Assert.Equal(403, (await s.SendAsync(HttpMethod.Get, "/debug/latency", null)).Status);
        Assert.Equal(403, (await s.SendAsync(HttpMethod.Get, "/debug/orderbook/BTCUSD", s.AdminToken)).Status);
        Assert.Equal(200, (await s.SendAsync(HttpMethod.Get, "/health", null)).Status);
        Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "49000", "0.1")).Status);
        Assert.Equal(200, (await s.SendAsync(HttpMethod.Get, "/api/v1/book/BTCUSD", null)).Status);
    }
}
