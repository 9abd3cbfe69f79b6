using System.Collections.Concurrent;
using System.Diagnostics;

namespace Hft.Server.Api;

/// <summary>Per-account token bucket for API requests (<c>[[accounts]] requests_per_second</c>; 0 = unlimited).</summary>
public sealed class AccountRateLimiter
{
    private readonly ConcurrentDictionary<int, Bucket> _buckets = new();
    private readonly Func<int, int> _rateOf;

    public AccountRateLimiter(Func<int, int> rateOf) => _rateOf = rateOf;

    /// <summary>Takes one token; false with the seconds until one is available when the bucket is empty.</summary>
    public bool TryAcquire(int account, out double retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        int rate = _rateOf(account);
        if (rate <= 0) return true;
        var bucket = _buckets.GetOrAdd(account, _ => new Bucket(rate));
        lock (bucket)
        {
            long now = Stopwatch.GetTimestamp();
            double elapsed = (now - bucket.Last) / (double)Stopwatch.Frequency;
            bucket.Last = now;
            bucket.Tokens = Math.Min(rate, bucket.Tokens + elapsed * rate);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return true;
            }
            retryAfterSeconds = (1 - bucket.Tokens) / rate;
            return false;
        }
    }

    private sealed class Bucket(int rate)
    {
        public double Tokens = rate;
        public long Last = Stopwatch.GetTimestamp();
    }
}
