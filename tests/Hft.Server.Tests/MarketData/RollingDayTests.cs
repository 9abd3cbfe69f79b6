using Hft.Server.MarketData;

namespace Hft.Server.Tests.MarketData;

/// <summary>The bucketed 24 h window against a naive twin that keeps every trade.</summary>
public sealed class RollingDayTests
{
    /// <summary>Every trade kept; the window holds those whose minute started less than 24 h before the current minute.</summary>
    private sealed class NaiveDay
    {
        private readonly List<(long Minute, long Price, long Qty)> _trades = new();

        public void Add(long price, long qty, DateTimeOffset now) => _trades.Add((now.ToUnixTimeSeconds() / 60, price, qty));

        public DayStats At(DateTimeOffset now)
        {
            long m = now.ToUnixTimeSeconds() / 60;
            var inWindow = _trades.Where(t => m - t.Minute is >= 0 and < 24 * 60).ToList();
            return inWindow.Count == 0
                ? new DayStats(0, 0, 0, 0)
                : new DayStats(inWindow.Sum(t => t.Qty), inWindow.Max(t => t.Price), inWindow.Min(t => t.Price), inWindow[0].Price);
        }
    }

    [Fact]
    public void Matches_a_naive_window_over_random_trades_and_clock_moves()
    {
        var random = new Random(20261207);
        var day = new RollingDay();
        var naive = new NaiveDay();
        var now = new DateTimeOffset(2026, 3, 1, 23, 59, 50, TimeSpan.Zero);
        for (int i = 0; i < 20_000; i++)
        {
            // mostly seconds apart, sometimes hours (buckets reused), now and then more than a day (all gone)
            int roll = random.Next(1000);
            now += roll < 900 ? TimeSpan.FromSeconds(random.Next(0, 120)) : roll < 998 ? TimeSpan.FromMinutes(random.Next(60, 900)) : TimeSpan.FromHours(25);
            long price = 4_000_000 + random.Next(0, 200_000), qty = random.Next(1, 50_000);
            day.Add(price, qty, now);
            naive.Add(price, qty, now);
            if (i % 97 == 0) Assert.Equal(naive.At(now), day.At(now));
        }
        for (int k = 0; k < 30; k++)
        {
            now += TimeSpan.FromMinutes(61); // the window empties minute by minute
            Assert.Equal(naive.At(now), day.At(now));
        }
        Assert.Equal(new DayStats(0, 0, 0, 0), day.At(now));
    }
}
