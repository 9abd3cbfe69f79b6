using Hft.Auth.Redis;
using StackExchange.Redis;

namespace Hft.Server.Cache;

/// <summary>
/// The market-data cache in Redis (<c>{prefix}cache:{key}</c>, with the TTL as the key's expiry), shared by replicas.
/// While Redis is down every lookup is a miss without touching the network; a failed or slow lookup (over
/// <c>command_timeout_ms</c>) is a miss too, counted in <c>hft_redis_errors_total</c>.
/// </summary>
public sealed class RedisMarketCache(RedisConnection redis) : IMarketCache
{
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!redis.IsUp || redis.Database is not { } db) return null;
        try
        {
            var value = await db.StringGetAsync(redis.KeyPrefix + "cache:" + key).WaitAsync(redis.CommandTimeout, cancellationToken);
            return value.IsNull ? null : (byte[]?)value;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            redis.ReportFailure(e);
            return null;
        }
    }

    public void Set(string key, byte[] value, TimeSpan ttl)
    {
        if (!redis.IsUp || redis.Database is not { } db) return;
        try
        {
            db.StringSet(redis.KeyPrefix + "cache:" + key, value, ttl, flags: CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException)
        {
            redis.ReportFailure(e);
        }
    }
}
