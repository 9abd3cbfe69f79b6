using System.Diagnostics;

namespace Hft.Pipeline;

/// <summary>
/// Global order admission rate (<c>[trading] max_orders_per_second</c>), lock-free: the generic cell rate algorithm
/// keeps one "theoretical arrival time"; an order is admitted when that time is not further ahead of now than the
/// burst allowance (one second's worth of orders). 0 = unlimited.
/// </summary>
public sealed class OrderThrottle
{
    private readonly long _interval;   // Stopwatch ticks per order
    private readonly long _burst;      // how far ahead the arrival time may run
    private long _tat;

    public OrderThrottle(int ordersPerSecond)
    {
        if (ordersPerSecond <= 0) return;
        _interval = Math.Max(1, Stopwatch.Frequency / ordersPerSecond);
        _burst = Stopwatch.Frequency;
        _tat = Stopwatch.GetTimestamp();
    }

    public bool Unlimited => _interval == 0;

    public bool TryAdmit()
    {
        if (_interval == 0) return true;
        long now = Stopwatch.GetTimestamp();
        while (true)
        {
            long tat = Volatile.Read(ref _tat);
            long start = Math.Max(tat, now);
            if (start - now > _burst) return false;
            if (Interlocked.CompareExchange(ref _tat, start + _interval, tat) == tat) return true;
        }
    }
}
