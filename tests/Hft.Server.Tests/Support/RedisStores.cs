using Hft.Auth.Redis;
using Hft.Auth.Sessions;
using Hft.Auth.Tls;
using Hft.Configuration;
using Hft.Server.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Hft.Server.Tests.Support;

/// <summary>A started <see cref="RedisConnection"/> (own metrics registry) and a <see cref="RedisSessionStore"/> on it, as a server wires them.</summary>
public sealed class RedisStores : IAsyncDisposable
{
    private RedisStores(RedisConnection connection, RedisSessionStore sessions, CollectorRegistry registry)
    {
        Connection = connection;
        Sessions = sessions;
        Registry = registry;
    }

    public RedisConnection Connection { get; }

    public RedisSessionStore Sessions { get; }

    public CollectorRegistry Registry { get; }

    public static RedisConfig Config(string connection, string prefix = "hft:") => new()
    {
        Connection = connection,
        KeyPrefix = prefix,
        ConnectTimeoutMs = 500,
        CommandTimeoutMs = 2000, // generous: the test host is shared and loaded; the outage tests kill Redis outright
        ReconnectIntervalMs = 100,
        RevocationSyncSeconds = 1,
    };

    /// <summary>Starts both and waits (at most 10 s) until the connection is up and the first sync ran.</summary>
    /// <param name="tls">The node's [tls] material, for a connection with ssl=true.</param>
    public static async Task<RedisStores> StartAsync(string connection, SessionLifetimes lifetimes, string prefix = "hft:", CertificateSource? tls = null)
    {
        var registry = Metrics.NewCustomRegistry();
        var config = Config(connection, prefix);
        var redis = new RedisConnection(config, new RedisMetrics(registry, configured: true), NullLogger.Instance, tls);
        var sessions = new RedisSessionStore(redis, lifetimes, TimeSpan.FromSeconds(config.RevocationSyncSeconds), NullLogger.Instance);
        await redis.StartAsync(CancellationToken.None);
        await sessions.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => redis.IsUp, TimeSpan.FromSeconds(10), "redis connection up");
        Assert.True(await sessions.SyncAsync(push: false));
        return new RedisStores(redis, sessions, registry);
    }

    public async ValueTask DisposeAsync()
    {
        await Sessions.StopAsync(CancellationToken.None);
        await Connection.StopAsync(CancellationToken.None);
        await Connection.DisposeAsync();
    }
}

/// <summary>Bounded polling for state that another thread or process changes.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            await Task.Delay(25);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            await Task.Delay(50);
        }
    }
}

/// <summary>Servers wired to a <see cref="RedisFixture"/>.</summary>
public static class RedisServer
{
    /// <summary>A config edit for <see cref="ApiServerFixture.StartAsync"/>: [redis] on <paramref name="redis"/>, test timings.</summary>
    public static Func<HftConfig, HftConfig> WithRedis(RedisFixture redis, int cacheTtlMs = 0)
        => c => c with { Redis = RedisStores.Config(redis.Connection) with { CacheTtlMs = cacheTtlMs } };

    /// <summary>Waits (at most 15 s) until the server's hft_redis_up reads <paramref name="up"/>.</summary>
    public static Task WaitUpAsync(ApiServerFixture api, double up = 1)
        => Poll.UntilAsync(async () => (await api.MetricsAsync()).Value("hft_redis_up") == up, TimeSpan.FromSeconds(15), $"hft_redis_up {up}");
}
