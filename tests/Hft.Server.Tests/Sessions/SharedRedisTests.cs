using System.Net;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Sessions;

/// <summary>
/// Two real servers (two replicas behind one load balancer) sharing one real redis-server: a session opened on one
/// refreshes on the other, logout on one is honoured by the other, and the public market-data cache is shared.
/// </summary>
public sealed class SharedRedisTests : IAsyncLifetime
{
    private RedisFixture _redis = null!;
    private ApiServerFixture _a = null!, _b = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisFixture.StartNewAsync();
        _a = await ApiServerFixture.StartAsync(RedisServer.WithRedis(_redis, cacheTtlMs: 5000));
        _b = await ApiServerFixture.StartAsync(RedisServer.WithRedis(_redis, cacheTtlMs: 5000));
        await RedisServer.WaitUpAsync(_a);
        await RedisServer.WaitUpAsync(_b);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_session_from_one_replica_refreshes_and_logs_out_on_the_other()
    {
        var m = await _a.MetricsAsync();
        Assert.Equal((1, 1), (m.Value("hft_redis_up"), m.Value("hft_redis_configured")));

        var login = await _a.LoginAsync();
        var onB = Login.From(await _b.RefreshAsync(login.RefreshToken));
        (await _a.AccountAsync(onB.Token)).AssertStatus(HttpStatusCode.OK); // same signing key: tokens work anywhere
        // the spent token presented to the other replica is a reuse there too
        (await _a.RefreshAsync(login.RefreshToken)).AssertError(HttpStatusCode.Unauthorized, "refresh_token_reused");
        (await _b.RefreshAsync(onB.RefreshToken)).AssertError(HttpStatusCode.Unauthorized, "invalid_refresh_token");

        var second = await _b.LoginAsync("dev-key-A2");
        (await _a.AccountAsync(second.Token)).AssertStatus(HttpStatusCode.OK);
        (await _b.LogoutAsync(second.Token)).AssertStatus(HttpStatusCode.OK);
        (await _b.AccountAsync(second.Token)).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        await Poll.UntilAsync(async () => (await _a.AccountAsync(second.Token)).Status == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(5), "logout on B honoured by A");
        (await _a.RefreshAsync(second.RefreshToken)).AssertError(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task The_public_book_and_ticker_cache_is_shared_and_expires()
    {
        // only A's book has this order; B can show it only from the shared cache
        (await _a.PlaceAsync(_a.Token("A1"), Rest.Limit("buy", "49000", "0.1"))).AssertStatus(HttpStatusCode.Created);
        var fromA = (await _a.Anonymous.Get("api/v1/book/BTCUSD?depth=5")).AssertStatus(HttpStatusCode.OK);
        Assert.Single(fromA.Body.GetProperty("bids").EnumerateArray());
        await CachedEntriesAsync(1); // A stores without waiting for Redis (fire and forget): B may ask before it lands
        var fromB = (await _b.Anonymous.Get("api/v1/book/BTCUSD?depth=5")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(fromA.Text, fromB.Text);
        Assert.Empty((await _b.Anonymous.Get("api/v1/book/BTCUSD?depth=6")).Body.GetProperty("bids").EnumerateArray()); // another key: B's own book
        using var adminB = _b.Client("ADMIN", Hft.Auth.Roles.Admin);
        Assert.Empty((await adminB.Get("api/v1/book/BTCUSD?level=3")).Body.GetProperty("bids").EnumerateArray()); // L3 is never cached

        var tickerA = (await _a.Anonymous.Get("api/v1/ticker/BTCUSD")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("49000", tickerA.Str("bid"));
        await CachedEntriesAsync(3); // A's book, B's own depth=6 book, A's ticker
        Assert.Equal(tickerA.Text, (await _b.Anonymous.Get("api/v1/ticker/BTCUSD")).Text);

        var mb = await _b.MetricsAsync();
        Assert.Equal(2, mb.Value("hft_cache_requests_total", ("result", "hit")));
        Assert.Equal(1, mb.Value("hft_cache_requests_total", ("result", "miss")));

        // after the TTL (5 s here) B computes its own answer again
        await Poll.UntilAsync(async () => (await _b.Anonymous.Get("api/v1/book/BTCUSD?depth=5")).Body.GetProperty("bids").GetArrayLength() == 0,
            TimeSpan.FromSeconds(15), "cached book expires");
        (await _b.Anonymous.Get("api/v1/ticker/DOGEUSD")).AssertError(HttpStatusCode.NotFound, "unknown_symbol");
    }

    /// <summary>Waits until redis-server holds <paramref name="count"/> market-data cache entries.</summary>
    private async Task CachedEntriesAsync(int count)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.Connection);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        await Poll.UntilAsync(() => server.Keys(pattern: "*cache:*").Count() >= count, TimeSpan.FromSeconds(10), $"{count} cache entries in Redis");
    }
}
