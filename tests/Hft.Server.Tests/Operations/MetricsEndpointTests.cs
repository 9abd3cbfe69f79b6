using System.Text.Json;
using Hft.Pipeline.Monitoring;
using Hft.Server.Operations;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Operations;

/// <summary>/metrics of a real server: every family hft_*, with the right labels and values after real orders (the
/// per-account families in the operator's view: scraped with the development ops token).</summary>
public sealed class MetricsEndpointTests
{
    /// <summary>
    /// A2 rests a sell, A1 lifts part of it, rests and cancels a bid, and gets two risk rejects (price band, max qty):
    /// 5 new orders, 1 cancel, 1 trade of 0.2, 2 rejects.
    /// </summary>
    private static async Task TradeScenarioAsync(MetricsServerFixture s)
    {
        Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA2, "BTCUSD", "sell", "50000", "0.5")).Status);
        var lift = await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "50000", "0.2");
        Assert.Equal(201, lift.Status);
        Assert.Equal("filled", lift.Body.GetProperty("status").GetString());
        var bid = await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "49000", "0.1");
        Assert.Equal(201, bid.Status);
        long bidId = bid.Body.GetProperty("id").GetInt64();
        Assert.Equal(200, (await s.SendAsync(HttpMethod.Delete, $"/api/v1/orders/{bidId}", s.TokenA1)).Status);
        var band = await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "60000", "1");
        Assert.Equal((422, "price_band"), (band.Status, band.Body.GetProperty("error").GetProperty("code").GetString()));
        var big = await s.PlaceLimitAsync(s.TokenA1, "ETHUSD", "buy", "3000", "2000");
        Assert.Equal((422, "max_qty"), (big.Status, big.Body.GetProperty("error").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Counters_and_latency_histograms_count_every_command_with_sample_rate_1()
    {
        await using var s = await MetricsServerFixture.StartAsync();
        await TradeScenarioAsync(s);
        var m = await s.ScrapeUntilAsync(m => m.Sum("hft_order_latency_seconds_count") >= 6);

        Assert.Equal(1, m.Value("hft_orders_total", ("symbol", "BTCUSD"), ("side", "sell")));
        Assert.Equal(2, m.Value("hft_orders_total", ("symbol", "BTCUSD"), ("side", "buy")));
        Assert.Equal(3, m.Sum("hft_orders_total"));
        Assert.Equal(1, m.Value("hft_trades_total", ("symbol", "BTCUSD")));
        Assert.Equal(0.2, m.Value("hft_traded_quantity_total", ("symbol", "BTCUSD")), 9);
        Assert.Equal(0, m.Value("hft_trades_total", ("symbol", "ETHUSD")));
        Assert.Equal(1, m.Value("hft_rejects_total", ("symbol", "BTCUSD"), ("reason", "price_band")));
        Assert.Equal(1, m.Value("hft_rejects_total", ("symbol", "ETHUSD"), ("reason", "max_qty")));
        Assert.Equal(2, m.Sum("hft_rejects_total"));
        Assert.Equal(1, m.Value("hft_cancels_total", ("symbol", "BTCUSD"), ("reason", "user")));
        Assert.Equal(1, m.Sum("hft_cancels_total"));
        Assert.Equal(6, m.Sum("hft_commands_total"));
        Assert.Equal(5, m.Value("hft_commands_total", ("shard", "0"))); // BTCUSD on shard 0
        Assert.Equal(1, m.Value("hft_commands_total", ("shard", "1"))); // ETHUSD on shard 1

        // sample_rate 1: every command is timed, every stage too (journal: decided -> durable, or -> its refusal); parse for every parsed new order
        Assert.Equal(5, m.Value("hft_order_latency_seconds_count", ("op", "new")));
        Assert.Equal(1, m.Value("hft_order_latency_seconds_count", ("op", "cancel")));
        Assert.Equal(5, m.Value("hft_order_latency_seconds_bucket", ("op", "new"), ("le", "+Inf")));
        Assert.True(m.Value("hft_order_latency_seconds_sum", ("op", "new")) > 0);
        foreach (var stage in new[] { "queue", "risk", "match", "settle", "journal" })
            Assert.Equal(6, m.Value("hft_stage_latency_seconds_count", ("stage", stage)));
        Assert.Equal(5, m.Value("hft_stage_latency_seconds_count", ("stage", "parse")));

        // buckets 1 μs .. 10 s, cumulative: a slow tail shows as slow, not as the top bucket
        var les = m.Find("hft_order_latency_seconds_bucket", ("op", "new"))
            .Select(x => x.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(x.Labels["le"], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal([1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5, 1, 2, 5, 10,
            double.PositiveInfinity], les);
        var counts = m.Find("hft_order_latency_seconds_bucket", ("op", "new")).Select(x => x.Value).ToList();
        Assert.Equal(counts.Order().ToList(), counts);
        Assert.Equal("histogram", m.Types["hft_order_latency_seconds"]);
        Assert.Equal("histogram", m.Types["hft_stage_latency_seconds"]);
        Assert.Equal("counter", m.Types["hft_orders_total"]);
    }

    [Fact]
    public async Task State_gauges_show_positions_pnl_exposure_utilization_queues_and_rates()
    {
        await using var s = await MetricsServerFixture.StartAsync();
        await TradeScenarioAsync(s);
        var m = await s.OperatorScrapeAsync();

        Assert.Equal(0.2, m.Value("hft_position", ("account", "A1"), ("symbol", "BTCUSD")), 9);
        Assert.Equal(-0.2, m.Value("hft_position", ("account", "A2"), ("symbol", "BTCUSD")), 9);
        Assert.Empty(m.Find("hft_position", ("account", "A1"), ("symbol", "ETHUSD"))); // never traded or rested there
        Assert.Equal(0, m.Value("hft_open_orders", ("account", "A1")));
        Assert.Equal(1, m.Value("hft_open_orders", ("account", "A2"))); // 0.3 left of the sell
        Assert.Equal(0, m.Value("hft_pnl", ("account", "A1"), ("kind", "realized")));
        Assert.Equal(0, m.Value("hft_pnl", ("account", "A1"), ("kind", "unrealized"))); // bought at the mark
        // exposure: |position| x mark (+ open quantity x limit price)
        Assert.Equal(10_000, m.Value("hft_exposure", ("account", "A1")), 6);
        Assert.Equal(25_000, m.Value("hft_exposure", ("account", "A2")), 6);
        Assert.Equal(10_000 / 100_000_000.0, m.Value("hft_risk_utilization", ("account", "A1")), 12); // credit 100,000,000
        Assert.Equal(0, m.Value("hft_risk_utilization", ("account", "ADMIN"))); // default credit 10,000,000, nothing held
        Assert.Equal(1, m.Value("hft_account_enabled", ("account", "A1")));
        Assert.Equal(0, m.Value("hft_halted", ("symbol", "BTCUSD")));
        Assert.Equal(0, m.Value("hft_halted", ("symbol", "ETHUSD")));
        Assert.Equal(1, m.Value("hft_accepting"));

        Assert.Equal(65536, m.Value("hft_queue_capacity", ("shard", "0")));
        Assert.Equal(65536, m.Value("hft_queue_capacity", ("shard", "1")));
        Assert.Equal(0, m.Value("hft_queue_depth", ("shard", "0")));

        // first scrape: rates since start; 2 of 6 commands rejected
        Assert.Equal(2 / 6.0, m.Value("hft_error_rate"), 9);
        Assert.True(m.Value("hft_throughput_orders_per_second") > 0);

        Assert.True(m.Value("hft_process_cpu_seconds_total") > 0);
        Assert.True(m.Value("hft_process_resident_memory_bytes") > 1_000_000);
        Assert.True(m.Value("hft_process_working_set_bytes") > 1_000_000);
        Assert.True(m.Value("hft_memory_limit_bytes") > 0);
        Assert.True(m.Value("hft_gc_heap_bytes") > 0);
        Assert.True(m.Value("hft_gc_allocated_bytes_total") > 0);
        Assert.True(m.Value("hft_gc_collections_total", ("generation", "0")) >= m.Value("hft_gc_collections_total", ("generation", "2")));
        Assert.InRange(m.Value("hft_gc_pause_ratio"), 0, 1);
        Assert.True(m.Value("hft_gc_pause_seconds_total") >= 0);
        Assert.True(m.Value("hft_threadpool_threads") > 0);
        Assert.True(m.Value("hft_uptime_seconds") > 0);
        Assert.Equal("counter", m.Types["hft_process_cpu_seconds_total"]);
        Assert.Equal("gauge", m.Types["hft_risk_utilization"]);
    }

    [Fact]
    public async Task Every_family_and_sample_is_hft_prefixed_and_every_promised_family_is_there()
    {
        await using var s = await MetricsServerFixture.StartAsync();
        await TradeScenarioAsync(s);
        var m = await s.OperatorScrapeAsync();

        Assert.NotEmpty(m.Types);
        Assert.All(m.Types.Keys, name => Assert.StartsWith("hft_", name));
        Assert.All(m.Samples, sample => Assert.StartsWith("hft_", sample.Name));
        string[] promised =
        [
            "hft_order_latency_seconds", "hft_stage_latency_seconds", "hft_orders_total", "hft_trades_total", "hft_traded_quantity_total",
            "hft_rejects_total", "hft_cancels_total", "hft_commands_total", "hft_queue_depth", "hft_queue_capacity",
            "hft_throughput_orders_per_second", "hft_error_rate", "hft_position", "hft_pnl", "hft_exposure", "hft_risk_utilization",
            "hft_halted", "hft_open_orders", "hft_process_cpu_seconds_total", "hft_process_resident_memory_bytes",
            "hft_process_working_set_bytes", "hft_gc_collections_total", "hft_gc_heap_bytes", "hft_gc_pause_ratio",
            "hft_gc_pause_seconds_total", "hft_threadpool_threads", "hft_uptime_seconds",
        ];
        Assert.All(promised, family => Assert.Contains(family, m.Types.Keys));
    }

    [Fact]
    public async Task Sample_rate_0_times_nothing_but_still_counts()
    {
        await using var s = await MetricsServerFixture.StartAsync(c => c with { LatencyProfiling = c.LatencyProfiling with { SampleRate = 0 } });
        for (int i = 0; i < 3; i++) Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "49000", "0.1")).Status);
        var m = await s.ScrapeAsync();
        Assert.Equal(3, m.Value("hft_orders_total", ("symbol", "BTCUSD"), ("side", "buy")));
        Assert.Equal(0, m.Sum("hft_order_latency_seconds_count"));
        Assert.Equal(0, m.Sum("hft_stage_latency_seconds_count"));
    }

    [Fact]
    public async Task Sample_rate_one_half_times_every_second_command()
    {
        await using var s = await MetricsServerFixture.StartAsync(c => c with { LatencyProfiling = c.LatencyProfiling with { SampleRate = 0.5 } });
        for (int i = 0; i < 4; i++) Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "49000", "0.1")).Status);
        var m = await s.ScrapeAsync();
        Assert.Equal(4, m.Value("hft_orders_total", ("symbol", "BTCUSD"), ("side", "buy")));
        Assert.Equal(2, m.Value("hft_order_latency_seconds_count", ("op", "new")));
        Assert.Equal(2, m.Value("hft_stage_latency_seconds_count", ("stage", "parse")));
        Assert.Equal(2, m.Value("hft_stage_latency_seconds_count", ("stage", "match")));
    }

    [Fact]
    public async Task Profiling_disabled_times_nothing()
    {
        await using var s = await MetricsServerFixture.StartAsync(c => c with { LatencyProfiling = c.LatencyProfiling with { Enabled = false } });
        Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "49000", "0.1")).Status);
        var m = await s.ScrapeAsync();
        Assert.Equal(1, m.Sum("hft_orders_total"));
        Assert.Equal(0, m.Sum("hft_order_latency_seconds_count"));
    }

    [Fact]
    public async Task Halts_and_admission_refusals_show_up()
    {
        await using var s = await MetricsServerFixture.StartAsync(c => c with { Trading = c.Trading with { MaxOrdersPerSecond = 1 } });
        s.Server.Pipeline.RiskBook.Instrument(1)!.Halted = true; // ETHUSD
        int limited = 0;
        for (int i = 0; i < 5; i++)
            if ((await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "49000", "0.1")).Status == 429) limited++;
        Assert.True(limited > 0);
        var m = await s.ScrapeAsync();
        Assert.Equal(1, m.Value("hft_halted", ("symbol", "ETHUSD")));
        Assert.Equal(0, m.Value("hft_halted", ("symbol", "BTCUSD")));
        Assert.Equal(limited, m.Value("hft_rejects_total", ("symbol", "BTCUSD"), ("reason", "rate_limited")));
        Assert.Equal(limited / 5.0, m.Value("hft_error_rate"), 9);
    }

    [Fact]
    public async Task Each_server_has_its_own_registry()
    {
        await using var a = await MetricsServerFixture.StartAsync();
        await using var b = await MetricsServerFixture.StartAsync();
        Assert.Equal(201, (await a.PlaceLimitAsync(a.TokenA1, "BTCUSD", "buy", "49000", "0.1")).Status);
        Assert.Equal(1, (await a.ScrapeAsync()).Sum("hft_orders_total"));
        Assert.Equal(0, (await b.ScrapeAsync()).Sum("hft_orders_total"));
    }

    [Fact]
    public async Task Metrics_are_404_when_prometheus_is_disabled()
    {
        await using var s = await MetricsServerFixture.StartAsync(c => c with { Monitoring = c.Monitoring with { EnablePrometheus = false } });
        var (status, body) = await s.SendAsync(HttpMethod.Get, "/metrics", null);
        Assert.Equal(404, status);
        Assert.Equal("metrics_disabled", body.GetProperty("error").GetProperty("code").GetString());
        // the other operations endpoints stay
        Assert.Equal(200, (await s.SendAsync(HttpMethod.Get, "/debug/latency", null)).Status);
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
    }

    [Fact]
    public void Latency_buckets_span_1us_to_10s()
    {
        Assert.Equal(1e-6, PipelineMetrics.LatencyBuckets[0]);
        Assert.Equal(10, PipelineMetrics.LatencyBuckets[^1]);
        Assert.Equal(PipelineMetrics.LatencyBuckets.Order().ToArray(), PipelineMetrics.LatencyBuckets);
    }
}
