using Hft.Auth.Redis;

namespace Hft.Server.Cache;

/// <summary>
/// What the public REST endpoints use: look up, else compute and store, counting hits and misses
/// (<c>hft_cache_requests_total</c>). With <c>[redis] cache_ttl_ms = 0</c> it never caches (and counts nothing).
/// </summary>
public sealed class MarketCacheReader(IMarketCache cache, RedisMetrics metrics, TimeSpan ttl)
{
    public bool Enabled => ttl > TimeSpan.Zero;

    public TimeSpan Ttl => ttl;

    public IMarketCache Cache => cache;

    public async ValueTask<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        var hit = await cache.GetAsync(key, cancellationToken);
        if (hit is null) metrics.CacheMiss();
        else metrics.CacheHit();
        return hit;
    }

    public void Store(string key, byte[] json) => cache.Set(key, json, ttl);
}
