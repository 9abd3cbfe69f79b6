using Hft.Auth.Sessions;
using Hft.Server.Sessions;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Sessions;

/// <summary>
/// The contract of <see cref="ISessionStore"/>, run against both implementations: in memory, and in a real
/// redis-server. Rotation, reuse detection, revocation (session and account), expiry, and hostile tokens.
/// </summary>
public abstract class SessionStoreContract : IAsyncLifetime
{
    protected static readonly SessionLifetimes Lifetimes = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));

    protected ISessionStore Store { get; private set; } = null!;

    protected abstract Task<ISessionStore> CreateAsync(SessionLifetimes lifetimes);

    public virtual async Task InitializeAsync() => Store = await CreateAsync(Lifetimes);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Refresh_rotates_the_token_and_keeps_the_session()
    {
        var grant = (await Store.CreateAsync("A1", "trader"))!;
        Assert.True(RefreshToken.TryParse(grant.RefreshToken, out var sid));
        Assert.Equal(grant.SessionId, sid);

        var first = await Store.RefreshAsync(grant.RefreshToken);
        Assert.Equal(RefreshStatus.Rotated, first.Status);
        Assert.Equal(("A1", "trader", grant.SessionId), (first.Account, first.Role, first.Grant!.SessionId));
        Assert.NotEqual(grant.RefreshToken, first.Grant.RefreshToken);
        Assert.Equal(grant.ExpiresAt.ToUnixTimeMilliseconds(), first.Grant.ExpiresAt.ToUnixTimeMilliseconds()); // refresh does not extend the session

        var second = await Store.RefreshAsync(first.Grant.RefreshToken);
        Assert.Equal(RefreshStatus.Rotated, second.Status);
        Assert.False(Store.IsRevoked(grant.SessionId, "A1", DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_spent_refresh_token_presented_again_revokes_the_whole_session()
    {
        var grant = (await Store.CreateAsync("A1", "trader"))!;
        var rotated = await Store.RefreshAsync(grant.RefreshToken);
        Assert.Equal(RefreshStatus.Rotated, rotated.Status);

        var replay = await Store.RefreshAsync(grant.RefreshToken);
        Assert.Equal(RefreshStatus.Reused, replay.Status);
        Assert.Equal("A1", replay.Account);
        // the thief's and the owner's copies are both dead now, and so are the session's access tokens
        Assert.Equal(RefreshStatus.Invalid, (await Store.RefreshAsync(rotated.Grant!.RefreshToken)).Status);
        Assert.Equal(RefreshStatus.Invalid, (await Store.RefreshAsync(grant.RefreshToken)).Status);
        Assert.True(Store.IsRevoked(grant.SessionId, "A1", DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Unknown_forged_and_malformed_tokens_are_invalid_and_change_nothing()
    {
        var grant = (await Store.CreateAsync("A1", "trader"))!;
        string forgedSecret = RefreshToken.New(grant.SessionId); // right session id, wrong secret: not a reuse
        string[] hostile =
        [
            "", "x", "not-a-token", new string('a', 100_000), RefreshToken.New(RefreshToken.NewSessionId()), forgedSecret,
            grant.RefreshToken.Replace('.', '!'), grant.RefreshToken + "=", " " + grant.RefreshToken[1..],
            grant.SessionId + ".' OR 1=1 --" + new string('A', RefreshToken.SecretLength - 13), "../../etc/passwd",
        ];
        foreach (var token in hostile)
            Assert.Equal(RefreshStatus.Invalid, (await Store.RefreshAsync(token)).Status);
        Assert.False(Store.IsRevoked(grant.SessionId, "A1", DateTimeOffset.UtcNow));
        Assert.Equal(RefreshStatus.Rotated, (await Store.RefreshAsync(grant.RefreshToken)).Status);
    }

    [Fact]
    public async Task Revoking_a_session_ends_its_refresh_token_and_access_tokens_only()
    {
        var mine = (await Store.CreateAsync("A1", "trader"))!;
        var other = (await Store.CreateAsync("A1", "trader"))!;
        Assert.True(await Store.RevokeSessionAsync(mine.SessionId));
        Assert.True(Store.IsRevoked(mine.SessionId, "A1", DateTimeOffset.UtcNow));
        Assert.Equal(RefreshStatus.Invalid, (await Store.RefreshAsync(mine.RefreshToken)).Status);

        Assert.False(Store.IsRevoked(other.SessionId, "A1", DateTimeOffset.UtcNow));
        Assert.False(Store.IsRevoked(null, "A1", DateTimeOffset.UtcNow));
        Assert.Equal(RefreshStatus.Rotated, (await Store.RefreshAsync(other.RefreshToken)).Status);
        Assert.False(await Store.RevokeSessionAsync(RefreshToken.NewSessionId()));
    }

    [Fact]
    public async Task Revoking_an_account_ends_its_sessions_and_earlier_tokens_but_not_later_ones_or_other_accounts()
    {
        var a = (await Store.CreateAsync("A1", "trader"))!;
        var b = (await Store.CreateAsync("A1", "trader"))!;
        var c = (await Store.CreateAsync("A2", "trader"))!;
        var before = DateTimeOffset.UtcNow;
        Assert.Equal(2, await Store.RevokeAccountAsync("A1"));

        Assert.Equal(RefreshStatus.Invalid, (await Store.RefreshAsync(a.RefreshToken)).Status);
        Assert.Equal(RefreshStatus.Invalid, (await Store.RefreshAsync(b.RefreshToken)).Status);
        Assert.True(Store.IsRevoked(a.SessionId, "A1", before));
        Assert.True(Store.IsRevoked(null, "A1", before.AddMinutes(-5))); // a session-less token (./hft token) too
        Assert.False(Store.IsRevoked(null, "A1", before.AddSeconds(2))); // issued after the revocation
        Assert.False(Store.IsRevoked(c.SessionId, "A2", before));
        Assert.Equal(RefreshStatus.Rotated, (await Store.RefreshAsync(c.RefreshToken)).Status);
        Assert.Equal(0, await Store.RevokeAccountAsync("nobody"));
    }

    [Fact]
    public async Task An_expired_session_cannot_be_refreshed()
    {
        var store = await CreateAsync(new SessionLifetimes(TimeSpan.FromMilliseconds(300), TimeSpan.FromMinutes(1)));
        var grant = (await store.CreateAsync("A1", "trader"))!;
        await Task.Delay(600);
        Assert.Equal(RefreshStatus.Invalid, (await store.RefreshAsync(grant.RefreshToken)).Status);
    }

    [Fact]
    public async Task Only_the_newest_logins_of_an_account_keep_their_sessions()
    {
        var store = await CreateAsync(new SessionLifetimes(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1), MaxPerAccount: 3));
        var grants = new List<SessionGrant>();
        for (int i = 0; i < 5; i++)
        {
            grants.Add((await store.CreateAsync("A1", "trader"))!);
            await Task.Delay(5); // distinct login times
        }
        var other = (await store.CreateAsync("A2", "trader"))!;
        for (int i = 0; i < 2; i++)
        {
            Assert.True(store.IsRevoked(grants[i].SessionId, "A1", DateTimeOffset.UtcNow), $"login {i} evicted");
            Assert.Equal(RefreshStatus.Invalid, (await store.RefreshAsync(grants[i].RefreshToken)).Status);
        }
        for (int i = 2; i < 5; i++) Assert.Equal(RefreshStatus.Rotated, (await store.RefreshAsync(grants[i].RefreshToken)).Status);
        Assert.Equal(RefreshStatus.Rotated, (await store.RefreshAsync(other.RefreshToken)).Status);
    }

    [Fact]
    public async Task Concurrent_refreshes_of_one_token_rotate_it_at_most_once()
    {
        var grant = (await Store.CreateAsync("A1", "trader"))!;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.RefreshAsync(grant.RefreshToken))));
        Assert.Equal(1, results.Count(r => r.Status == RefreshStatus.Rotated));
        Assert.Contains(results, r => r.Status == RefreshStatus.Reused); // the first replay after the rotation; later ones find no session
        Assert.All(results.Where(r => r.Status != RefreshStatus.Rotated), r => Assert.NotEqual(RefreshStatus.Unavailable, r.Status));
        Assert.True(Store.IsRevoked(grant.SessionId, "A1", DateTimeOffset.UtcNow)); // racing copies of one token look like theft
    }
}

public sealed class InMemorySessionStoreTests : SessionStoreContract
{
    protected override Task<ISessionStore> CreateAsync(SessionLifetimes lifetimes) => Task.FromResult<ISessionStore>(new InMemorySessionStore(lifetimes));
}

public sealed class RedisSessionStoreTests : SessionStoreContract
{
    private RedisFixture? _redis;
    private readonly List<RedisStores> _stores = new();

    public override async Task InitializeAsync()
    {
        _redis = await RedisFixture.StartNewAsync();
        await base.InitializeAsync();
    }

    protected override async Task<ISessionStore> CreateAsync(SessionLifetimes lifetimes)
    {
        var stores = await RedisStores.StartAsync(_redis!.Connection, lifetimes);
        _stores.Add(stores);
        return stores.Sessions;
    }

    public override async Task DisposeAsync()
    {
        foreach (var s in _stores) await s.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Two_replicas_share_sessions_and_learn_revocations_by_pub_sub()
    {
        var other = (RedisSessionStore)await CreateAsync(Lifetimes);
        var grant = (await Store.CreateAsync("A1", "trader"))!;
        var rotated = await other.RefreshAsync(grant.RefreshToken);
        Assert.Equal(RefreshStatus.Rotated, rotated.Status);

        Assert.True(await Store.RevokeSessionAsync(grant.SessionId));
        await Poll.UntilAsync(() => other.IsRevoked(grant.SessionId, "A1", DateTimeOffset.UtcNow), TimeSpan.FromSeconds(5), "revocation reaches the other replica");
        Assert.Equal(RefreshStatus.Invalid, (await other.RefreshAsync(rotated.Grant!.RefreshToken)).Status);

        await Store.RevokeAccountAsync("A2");
        await Poll.UntilAsync(() => other.IsRevoked(null, "A2", DateTimeOffset.UtcNow.AddSeconds(-1)), TimeSpan.FromSeconds(5), "account cutoff reaches the other replica");
    }

    [Fact]
    public async Task A_replica_started_later_reads_the_existing_revocation_list()
    {
        var grant = (await Store.CreateAsync("A1", "trader"))!;
        await Store.RevokeSessionAsync(grant.SessionId);
        await Store.RevokeAccountAsync("A2");
        var late = (await CreateAsync(Lifetimes))!; // its first sync ran in StartAsync
        Assert.True(late.IsRevoked(grant.SessionId, "A1", DateTimeOffset.UtcNow));
        Assert.True(late.IsRevoked(null, "A2", DateTimeOffset.UtcNow.AddSeconds(-1)));
    }
}
