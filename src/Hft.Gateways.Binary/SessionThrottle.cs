using System.Diagnostics;

namespace Hft.Gateways.Binary;

/// <summary>
/// One session's order-message rate (<c>[gateway] binary_max_messages_per_second</c>): a token bucket holding up to a
/// tenth of a second's worth, refilled continuously. Used only by the session's receive loop (not thread-safe). 0 = unlimited.
/// </summary>
public sealed class SessionThrottle
{
    private readonly double _perTick;
    private readonly double _capacity;
    private double _tokens;
    private long _last;

    public SessionThrottle(int perSecond)
    {
        if (perSecond <= 0) return;
        _perTick = perSecond / (double)Stopwatch.Frequency;
        _capacity = Math.Max(1, perSecond / 10.0);
        _tokens = _capacity;
        _last = Stopwatch.GetTimestamp();
    }

    public bool TryTake(long now)
    {
        if (_perTick == 0) return true;
        _tokens = Math.Min(_capacity, _tokens + (now - _last) * _perTick);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
