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

    [Fact]
    public async Task Entries_expire_after_their_ttl()
    {
        Cache.Set("ticker:ETHUSD", [1, 2, 3], TimeSpan.FromMilliseconds(300));
        await Poll.UntilAsync(async () => await Cache.GetAsync("ticker:ETHUSD") is not null, TimeSpan.FromSeconds(5), "set lands");
        await Poll.UntilAsync(async () => await Cache.GetAsync("ticker:ETHUSD") is null, TimeSpan.FromSeconds(5), "entry expires");
    }
}

public sealed class InMemoryMarketCacheTests : MarketCacheContract
{
    public override Task InitializeAsync()
    {
        Cache = new InMemoryMarketCache();
        return Task.CompletedTask;
    }

    public override Task DisposeAsync() => Task.CompletedTask;

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
