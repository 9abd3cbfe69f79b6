using Hft.Core.Instruments;

namespace Hft.Feed;

/// <summary>
/// Development reference prices: a seeded random walk per instrument, in whole ticks (so always on the grid). Each
/// step moves by a uniform whole number of ticks in ±max(1, price × volatility_bps / 10,000), and a step that would
/// leave [start / 2, start × 2] is taken the other way (and clamped to it), so the walk stays positive and near where it began. The same
/// seed gives the same walk.
/// </summary>
public sealed class MockRandomWalkFeed(IReadOnlyList<(int Instrument, long Start)> symbols, int seed, int volatilityBps, TimeSpan interval)
    : IPriceFeedAdapter
{
    public string Source => "mock";

    public async Task RunAsync(IPriceSink sink, CancellationToken cancellationToken)
    {
        var walk = new Walk(symbols.Select(s => s.Start).ToArray(), seed, volatilityBps);
        sink.OnConnection(true);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var prices = walk.Step();
                for (int i = 0; i < prices.Length; i++) sink.OnPrice(symbols[i].Instrument, prices[i]);
                await Task.Delay(interval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        sink.OnConnection(false);
    }

    /// <summary>The walk itself, without timing (tests step it directly).</summary>
    public sealed class Walk(long[] start, int seed, int volatilityBps)
    {
        private readonly Random _random = new(seed);
        private readonly long[] _prices = (long[])start.Clone();

        public long[] Prices => _prices;

        /// <summary>Moves every instrument one step; returns the prices (the same array each time).</summary>
        public long[] Step()
        {
            for (int i = 0; i < _prices.Length; i++)
            {
                long price = _prices[i];
                long max = Math.Max(1, (long)((Int128)price * volatilityBps / 10_000));
                if (volatilityBps == 0) max = 0;
                long delta = _random.NextInt64(-max, max + 1);
                long low = Math.Max(1, start[i] / 2), high = Math.Min(start[i] * 2, Instrument.MaxPriceTicks);
                long next = price + delta;
                if (next < low || next > high) next = price - delta;
                _prices[i] = Math.Clamp(next, low, high);
            }
            return _prices;
        }
    }
}
