using System.Text;
using Hft.Server.Cache;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Sessions;

/// <summary>The contract of <see cref="IMarketCache"/>, in memory and in a real redis-server: miss, hit, overwrite, TTL expiry.</summary>
public abstract class MarketCacheContract : IAsyncLifetime
{
    protected IMarketCache Cache { get; set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    private async Task<string?> GetText(string key) => await Cache.GetAsync(key) is { } b ? Encoding.UTF8.GetString(b) : null;

    [Fact]
    public async Task Miss_then_hit_then_overwrite()
    {
        Assert.Null(await GetText("book:BTCUSD:50"));
        Cache.Set("book:BTCUSD:50", Encoding.UTF8.GetBytes("{\"v\":1}"), TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(async () => await GetText("book:BTCUSD:50") is not null, TimeSpan.FromSeconds(5), "set lands"); // Redis sets are fire-and-forget
        Assert.Equal("{\"v\":1}", await GetText("book:BTCUSD:50"));
        Cache.Set("book:BTCUSD:50", Encoding.UTF8.GetBytes("{\"v\":2}"), TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(async () => await GetText("book:BTCUSD:50") == "{\"v\":2}", TimeSpan.FromSeconds(5), "overwrite lands");
        Assert.Null(await GetText("book:BTCUSD:51"));
    }

    /// <summary>
    /// Time passes beyond the TTL the entry was given, without the test racing a real clock: the in-memory cache's
    /// clock is moved by hand, and Redis is shown the expiry it was given (PTTL) and then made to expire the key.
    /// </summary>
    protected abstract Task PassTtlAsync(string key, TimeSpan ttl);

    [Fact]
    public async Task Entries_expire_after_their_ttl()
    {
        var ttl = TimeSpan.FromMinutes(10); // far longer than any stall of a busy machine between the set and the lookup
        Cache.Set("ticker:ETHUSD", [1, 2, 3], ttl);
        await Poll.UntilAsync(async () => await Cache.GetAsync("ticker:ETHUSD") is not null, TimeSpan.FromSeconds(30), "set lands");
        await PassTtlAsync("ticker:ETHUSD", ttl);
        await Poll.UntilAsync(async () => await Cache.GetAsync("ticker:ETHUSD") is null, TimeSpan.FromSeconds(30), "entry expires");
    }
}

public sealed class InMemoryMarketCacheTests : MarketCacheContract
{
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

    public override Task InitializeAsync()
    {
        Cache = new InMemoryMarketCache(_clock);
        return Task.CompletedTask;
    }

    public override Task DisposeAsync() => Task.CompletedTask;

    protected override async Task PassTtlAsync(string key, TimeSpan ttl)
    {
        _clock.Advance(ttl - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await Cache.GetAsync(key)); // alive until its TTL has passed ...
        _clock.Advance(TimeSpan.FromMilliseconds(1)); // ... and not a millisecond longer
    }

    [Fact]
    public async Task Stays_bounded_when_full_of_live_entries()
    {
        var cache = new InMemoryMarketCache();
        for (int i = 0; i < InMemoryMarketCache.Capacity + 50; i++) cache.Set("k" + i, [1], TimeSpan.FromMinutes(1));
        Assert.Equal(InMemoryMarketCache.Capacity, cache.Count);
        Assert.Null(await cache.GetAsync("k" + (InMemoryMarketCache.Capacity + 10)));
    }
}

public sealed class RedisMarketCacheTests : MarketCacheContract
{
    private RedisFixture _redis = null!;
    private RedisStores _stores = null!;

    public override async Task InitializeAsync()
    {
        _redis = await RedisFixture.StartNewAsync();
        _stores = await RedisStores.StartAsync(_redis.Connection, new Hft.Auth.Sessions.SessionLifetimes(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));
        Cache = new RedisMarketCache(_stores.Connection);
    }

    public override async Task DisposeAsync()
    {
        await _stores.DisposeAsync();
        await _redis.DisposeAsync();
    }

    protected override async Task PassTtlAsync(string key, TimeSpan ttl)
    {
        var db = _stores.Connection.Database!;
        var redisKey = _stores.Connection.KeyPrefix + "cache:" + key;
        var left = await db.KeyTimeToLiveAsync(redisKey);
        Assert.NotNull(left); // the key carries an expiry ...
        Assert.InRange(left.Value, TimeSpan.FromTicks(1), ttl); // ... of at most the TTL it was given
        Assert.True(await db.KeyExpireAsync(redisKey, TimeSpan.FromMilliseconds(1))); // the rest of it passes at once
    }

    [Fact]
    public async Task Lookups_while_redis_is_down_are_misses_without_waiting_for_it()
    {
        Cache.Set("book:X:1", [1], TimeSpan.FromMinutes(1));
        await Poll.UntilAsync(async () => await Cache.GetAsync("book:X:1") is not null, TimeSpan.FromSeconds(5), "set lands");
        _redis.Kill();
        await Poll.UntilAsync(() => !_stores.Connection.IsUp, TimeSpan.FromSeconds(10), "connection noticed down");
        Assert.Null(await Cache.GetAsync("book:X:1"));
        Cache.Set("book:X:1", [2], TimeSpan.FromMinutes(1)); // dropped, no exception
    }
}
