using System.Net;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Sessions;

/// <summary>
/// Redis killed under a running server: trading goes on (orders placed while it dies all succeed), /ready stays
/// ready, hft_redis_up drops to 0, a logged-out token stays refused, refresh answers 503, login still works; Redis
/// restarted (empty): hft_redis_up is 1 again, sessions work again, and the revocation made during the outage is
/// written back so a replica started afterwards refuses that token too.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private RedisFixture _redis = null!;
    private ApiServerFixture _api = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisFixture.StartNewAsync();
        _api = await ApiServerFixture.StartAsync(RedisServer.WithRedis(_redis, cacheTtlMs: 500));
        await RedisServer.WaitUpAsync(_api);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Server_keeps_trading_through_a_redis_outage_and_recovers()
    {
        var before = await _api.LoginAsync();
        var doomed = await _api.LoginAsync("dev-key-A2");
        Assert.NotNull(before.RefreshToken);

        // orders flow while Redis is killed: every one is accepted and canceled normally
        using var trader = _api.NewClient(before.Token);
        var trading = Task.Run(async () =>
        {
            var statuses = new List<HttpStatusCode>();
            for (int i = 0; i < 60; i++)
            {
                var placed = await trader.Place(Rest.Limit("buy", "49000", "0.1"));
                statuses.Add(placed.Status);
                if (placed.Status == HttpStatusCode.Created) statuses.Add((await trader.Delete($"api/v1/orders/{placed.Id}")).Status);
                await Task.Delay(10);
            }
            return statuses;
        });
        await Task.Delay(100);
        _redis.Kill();
        var statuses = await trading;
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.OK, $"order call answered {(int)s} during the outage"));

        await RedisServer.WaitUpAsync(_api, up: 0);
        var m = await _api.MetricsAsync();
        Assert.Equal(1, m.Value("hft_redis_configured"));
        (await _api.Anonymous.Get("ready")).AssertStatus(HttpStatusCode.OK);
        (await _api.PlaceAsync(before.Token, Rest.Limit("sell", "51000", "0.1"))).AssertStatus(HttpStatusCode.Created);
        (await _api.Anonymous.Get("api/v1/book/BTCUSD?depth=3")).AssertStatus(HttpStatusCode.OK); // cache miss: read from the book
        (await _api.Anonymous.Get("api/v1/ticker/BTCUSD")).AssertStatus(HttpStatusCode.OK);

        // sessions during the outage: refresh is deny-safe, logout holds locally, login works without a refresh token
        (await _api.RefreshAsync(before.RefreshToken)).AssertError(HttpStatusCode.ServiceUnavailable, "sessions_unavailable");
        (await _api.LogoutAsync(doomed.Token)).AssertStatus(HttpStatusCode.OK);
        (await _api.AccountAsync(doomed.Token)).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        var offline = await _api.LoginAsync();
        Assert.Null(offline.RefreshToken);
        (await _api.AccountAsync(offline.Token)).AssertStatus(HttpStatusCode.OK);
        (await _api.AccountAsync(before.Token)).AssertStatus(HttpStatusCode.OK);

        // Redis comes back empty (no persistence): the server reconnects by itself
        await _redis.StartAsync();
        await RedisServer.WaitUpAsync(_api, up: 1);
        var after = await _api.LoginAsync();
        Assert.NotNull(after.RefreshToken);
        (await _api.AccountAsync(Login.From(await _api.RefreshAsync(after.RefreshToken)).Token)).AssertStatus(HttpStatusCode.OK);
        (await _api.AccountAsync(doomed.Token)).AssertError(HttpStatusCode.Unauthorized, "unauthorized");

        // the revocation made while Redis was away reached Redis: a replica started now refuses the token
        await using var replica = await ApiServerFixture.StartAsync(RedisServer.WithRedis(_redis));
        await RedisServer.WaitUpAsync(replica);
        await Poll.UntilAsync(async () => (await replica.AccountAsync(doomed.Token)).Status == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10), "the new replica learns the outage-time revocation");
        (await replica.AccountAsync(after.Token)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Server_starts_and_trades_when_redis_is_configured_but_never_reachable()
    {
        // as staging/production would run with the redis service missing: nothing listens on this port
        using var hole = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        hole.Start();
        int port = ((IPEndPoint)hole.LocalEndpoint).Port;
        hole.Stop();
        await using var api = await ApiServerFixture.StartAsync(c => c with
        {
            Redis = RedisStores.Config($"127.0.0.1:{port}") with { CacheTtlMs = 500 },
        });
        (await api.Anonymous.Get("ready")).AssertStatus(HttpStatusCode.OK);
        var m = await api.MetricsAsync();
        Assert.Equal((0, 1), (m.Value("hft_redis_up"), m.Value("hft_redis_configured")));
        var login = await api.LoginAsync();
        Assert.Null(login.RefreshToken);
        (await api.PlaceAsync(login.Token, Rest.Limit("buy", "49000", "0.1"))).AssertStatus(HttpStatusCode.Created);
        Assert.Single((await api.Anonymous.Get("api/v1/book/BTCUSD")).Body.GetProperty("bids").EnumerateArray());
        (await api.LogoutAsync(login.Token)).AssertStatus(HttpStatusCode.OK);
        (await api.AccountAsync(login.Token)).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
