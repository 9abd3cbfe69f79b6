using System.Diagnostics;
using Hft.Configuration;

namespace Hft.Server.Tests.Feed;

internal static class FeedTestSupport
{
    /// <summary>The coinbase adapter at <paramref name="url"/> for BTCUSD and ETHUSD, marks unthrottled, fast reconnects.</summary>
    public static Func<HftConfig, HftConfig> Coinbase(Uri url, double stalenessSeconds = 60, string onStale = "halt", string widenFactor = "2",
        Func<HftConfig, HftConfig>? more = null)
        => c =>
        {
            c = c with
            {
                Feed = c.Feed with
                {
                    Enabled = true, Adapter = "coinbase", Url = url.ToString(),
                    Symbols = [new() { Symbol = "BTCUSD", Product = "BTC-USD" }, new() { Symbol = "ETHUSD", Product = "ETH-USD" }],
                    StalenessSeconds = stalenessSeconds, OnStale = onStale, WidenFactor = widenFactor, MinMarkIntervalMs = 0,
                    MinMarkMoveTicks = 1, ReconnectMinMs = 50, ReconnectMaxMs = 400,
                },
            };
            return more is null ? c : more(c);
        };

    /// <summary>Waits (polling, at most <paramref name="seconds"/>) until the condition holds; fails naming it otherwise.</summary>
    public static async Task Until(Func<bool> condition, string what, int seconds = 15)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"timed out after {seconds} s waiting for: {what}");
            await Task.Delay(20);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 15)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"timed out after {seconds} s waiting for: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>The value of one sample line of a Prometheus text exposition, or null when absent.</summary>
    public static double? Sample(string metrics, string series)
    {
        foreach (var line in metrics.Split('\n'))
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return null;
    }
}
