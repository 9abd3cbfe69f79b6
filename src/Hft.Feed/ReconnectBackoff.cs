namespace Hft.Feed;

/// <summary>
/// Exponential backoff with jitter and a cap: attempt n waits a random time in [d/2, d] where
/// d = min(max, min × 2^n) ("equal jitter": never zero, so a flapping source is not hammered, and never in
/// lock-step with other clients). <see cref="Reset"/> after a connection delivered data.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _attempt;

    public TimeSpan Min => min;

    public TimeSpan Max => max;

    /// <summary>Failed attempts since the last reset.</summary>
    public int Attempt => _attempt;

    public TimeSpan Next()
    {
        double ceiling = min.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30));
        double d = Math.Min(max.TotalMilliseconds, ceiling);
        _attempt++;
        return TimeSpan.FromMilliseconds(d / 2 + _random.NextDouble() * d / 2);
    }

    public void Reset() => _attempt = 0;
}
