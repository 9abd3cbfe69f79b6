using Hft.Auth.Redis;
using Hft.Auth.Sessions;
using Hft.Auth.Tls;
using Hft.Configuration;
using Hft.Server.Cache;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Hft.Server.Sessions;

/// <summary>
/// Chooses where sessions, the revocation list and the market-data cache live: Redis when <c>[redis] connection</c> is
/// set (shared by replicas), else this process's memory. Either way the same <see cref="ISessionStore"/> and
/// <see cref="MarketCacheReader"/> are registered, and the <c>hft_redis_*</c> / <c>hft_cache_*</c> metrics exist.
/// </summary>
public static class SessionServices
{
    public static void AddSessionsAndCache(this IServiceCollection services, HftConfig config)
    {
        var redis = config.Redis;
        var lifetimes = SessionLifetimes.From(config.Auth);
        var ttl = TimeSpan.FromMilliseconds(redis.CacheTtlMs);
        services.AddSingleton(sp => new RedisMetrics(sp.GetRequiredService<CollectorRegistry>(), redis.IsConfigured));
        if (!redis.IsConfigured)
        {
            services.AddSingleton<ISessionStore>(new InMemorySessionStore(lifetimes));
            services.AddSingleton<IMarketCache>(new InMemoryMarketCache());
        }
        else
        {
            services.AddSingleton(sp => new RedisConnection(redis, sp.GetRequiredService<RedisMetrics>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hft.Server.Redis"), sp.GetService<CertificateSource>()));
            services.AddSingleton(sp => new RedisSessionStore(sp.GetRequiredService<RedisConnection>(), lifetimes,
                TimeSpan.FromSeconds(redis.RevocationSyncSeconds), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hft.Server.Sessions")));
            services.AddSingleton<ISessionStore>(sp => sp.GetRequiredService<RedisSessionStore>());
            services.AddSingleton<IMarketCache>(sp => new RedisMarketCache(sp.GetRequiredService<RedisConnection>()));
            services.AddHostedService(sp => sp.GetRequiredService<RedisConnection>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisSessionStore>());
        }
        services.AddSingleton(sp => new MarketCacheReader(sp.GetRequiredService<IMarketCache>(), sp.GetRequiredService<RedisMetrics>(), ttl));
    }
}
