namespace Hft.Deployment.Tests;

/// <summary>The expression splitting the Prometheus integration test relies on.</summary>
public sealed class PromQlTests
{
    [Theory]
    [InlineData("up{job=\"hft-trading\"} == 0", "up{job=\"hft-trading\"}")]
    [InlineData("hft_redis_configured == 1 and hft_redis_up == 0", "hft_redis_configured§hft_redis_up")]
    [InlineData("hft_throughput_orders_per_second < 50000\nand on (instance)\n(sum by (instance) (hft_queue_depth) / sum by (instance) (hft_queue_capacity) > 0.1)",
        "hft_throughput_orders_per_second§sum by (instance) (hft_queue_depth) / sum by (instance) (hft_queue_capacity)")]
    [InlineData("histogram_quantile(0.99,\nsum by (instance, le) (rate(x_bucket{op=\"new\"}[5m]))) > 10e-6",
        "histogram_quantile(0.99,\nsum by (instance, le) (rate(x_bucket{op=\"new\"}[5m])))")]
    [InlineData("max by (instance) (hft_journal_failed) == 1\nor sum by (instance) (increase(hft_journal_errors_total[5m])) > 0",
        "max by (instance) (hft_journal_failed)§sum by (instance) (increase(hft_journal_errors_total[5m]))")]
    [InlineData("hft_rejects_total{reason=~\"a|b or c\"} > 0", "hft_rejects_total{reason=~\"a|b or c\"}")]
    public void Conditions_are_the_set_operands_without_their_thresholds(string expr, string expected)
        => Assert.Equal(expected.Split('§').ToList(), PromQl.Conditions(expr));

    [Fact]
    public void Selectors_keep_their_label_matchers_and_families_drop_histogram_suffixes()
    {
        var expr = "sum(rate(hft_order_latency_seconds_bucket{op=\"new\"}[5m])) / up{job=\"hft-trading\"} + hft_error_rate";
        Assert.Equal(["hft_order_latency_seconds_bucket{op=\"new\"}", "up{job=\"hft-trading\"}", "hft_error_rate"], PromQl.Selectors(expr));
        Assert.Equal(["hft_order_latency_seconds", "up", "hft_error_rate"], PromQl.Families(expr));
    }
}
