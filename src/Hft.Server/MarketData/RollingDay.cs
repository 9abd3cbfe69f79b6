using Hft.Core.Instruments;

namespace Hft.Server.MarketData;

/// <summary>The trades of the last 24 hours of one instrument, summed: volume in lots, high, low and open in ticks (0 when none).</summary>
public readonly record struct DayStats(long Volume, long High, long Low, long Open)
{
    /// <summary>One of the prices as text; null when the window holds no trade.</summary>
    public string? PriceText(Instrument inst, long ticks) => Volume == 0 ? null : inst.FormatPrice(ticks);
}

/// <summary>
/// A rolling 24 h window of one instrument's trades in one-minute buckets (quantity, high, low, first price): fixed
/// memory whatever the trade rate. Written by the publisher thread as trades become public, read by it for the
/// ticker channel and by API threads for <c>GET /ticker</c>, under a lock held for one bucket update or one scan.
/// A minute belongs to the window while it started less than 24 h before the current minute.
/// </summary>
internal sealed class RollingDay
{
    private const int Minutes = 24 * 60;
    private readonly long[] _minute = new long[Minutes];
    private readonly long[] _qty = new long[Minutes];
    private readonly long[] _high = new long[Minutes];
    private readonly long[] _low = new long[Minutes];
    private readonly long[] _open = new long[Minutes];

    public RollingDay() => Array.Fill(_minute, -1); // no minute yet (minutes count from the Unix epoch)

    public void Add(long price, long qty, DateTimeOffset now)
    {
        long m = MinuteOf(now);
        int slot = (int)(m % Minutes);
        lock (_qty)
        {
            if (_minute[slot] != m)
            {
                _minute[slot] = m;
                _qty[slot] = 0;
                _high[slot] = price;
                _low[slot] = price;
                _open[slot] = price;
            }
            _qty[slot] += qty;
            _high[slot] = Math.Max(_high[slot], price);
            _low[slot] = Math.Min(_low[slot], price);
        }
    }

    public DayStats At(DateTimeOffset now)
    {
        long m = MinuteOf(now), volume = 0, high = 0, low = 0, open = 0, oldest = long.MaxValue;
        lock (_qty)
        {
            for (int i = 0; i < Minutes; i++)
            {
                long age = m - _minute[i];
                if (_minute[i] < 0 || age < 0 || age >= Minutes) continue;
                volume += _qty[i];
                high = Math.Max(high, _high[i]);
                low = low == 0 ? _low[i] : Math.Min(low, _low[i]);
                if (_minute[i] < oldest)
                {
                    oldest = _minute[i];
                    open = _open[i];
                }
            }
        }
        return new DayStats(volume, high, low, open);
    }

    private static long MinuteOf(DateTimeOffset t) => Math.Max(0, t.ToUnixTimeSeconds()) / 60;
}
