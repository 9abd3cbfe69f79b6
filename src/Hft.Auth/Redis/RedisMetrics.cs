using Prometheus;

namespace Hft.Auth.Redis;

/// <summary>
/// The Redis and cache families on the server's registry. Always exported, Redis configured or not, so dashboards and
/// alerts can reference them: <c>hft_redis_up</c> is 0 both when Redis is unreachable and when it is not configured
/// (<c>hft_redis_configured</c> tells the two apart).
/// </summary>
public sealed class RedisMetrics
{
    private readonly Gauge _up;
    private readonly Counter _errors;
    private readonly Counter.Child _hits, _misses;

    public RedisMetrics(CollectorRegistry registry, bool configured)
    {
        var f = Metrics.WithCustomRegistry(registry);
        _up = f.CreateGauge("hft_redis_up", "1 while Redis answers; 0 when configured but unreachable, and 0 when not configured.");
        var configuredGauge = f.CreateGauge("hft_redis_configured", "1 when [redis] connection is set (sessions and cache shared in Redis), 0 when served from memory.");
        configuredGauge.Set(configured ? 1 : 0);
        _up.Set(0);
        _errors = f.CreateCounter("hft_redis_errors_total", "Redis commands that failed or timed out (the caller fell back).");
        var requests = f.CreateCounter("hft_cache_requests_total", "Market-data cache lookups by the public REST endpoints, by result.", "result");
        _hits = requests.WithLabels("hit");
        _misses = requests.WithLabels("miss");
    }

    public void SetUp(bool up) => _up.Set(up ? 1 : 0);

    public void Error() => _errors.Inc();

    public void CacheHit() => _hits.Inc();

    public void CacheMiss() => _misses.Inc();
}
