using Hft.Auth.Redis;
using Hft.Auth.Sessions;
using Hft.Auth.Tls;
using Hft.Server.Sessions;
using Hft.Server.Tests.Support;
using Hft.Tests.Tls;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Hft.Server.Tests.Sessions;

/// <summary>
/// The session-store contract against a real redis-server that speaks TLS only and requires a client certificate
/// (<c>ssl=true</c>): its certificate checked against the node's [tls] ca_file, the node certificate shown.
/// </summary>
public sealed class TlsRedisSessionStoreTests : SessionStoreContract
{
    private readonly TestCertificates _authority = TestCertificates.Create("hft redis CA");
    private readonly List<RedisStores> _stores = new();
    private RedisFixture? _redis;
    private CertificateSource _node = null!;

    public override async Task InitializeAsync()
    {
        _redis = await RedisFixture.StartNewAsync(new RedisTlsFiles(_authority.CertFile, _authority.KeyFile, _authority.CaFile));
        var nodeDir = Directory.CreateDirectory(Path.Combine(_authority.Dir, "node")).FullName;
        string cert = Path.Combine(nodeDir, "tls.crt"), key = Path.Combine(nodeDir, "tls.key");
        _authority.WriteNode("hft-node", cert, key);
        _node = new CertificateSource(cert, key, _authority.CaFile, TimeSpan.FromSeconds(10));
        await base.InitializeAsync();
    }

    protected override async Task<ISessionStore> CreateAsync(SessionLifetimes lifetimes)
    {
        var stores = await RedisStores.StartAsync(_redis!.Connection, lifetimes, tls: _node);
        _stores.Add(stores);
        return stores.Sessions;
    }

    public override async Task DisposeAsync()
    {
        try
        {
            foreach (var s in _stores) await s.DisposeAsync();
            if (_redis is not null) await _redis.DisposeAsync();
        }
        finally
        {
            _authority.Dispose();
        }
    }

    [Fact]
    public async Task Two_replicas_over_tls_share_sessions_and_learn_revocations()
    {
        var other = (RedisSessionStore)await CreateAsync(Lifetimes);
        var grant = (await Store.CreateAsync("A1", "trader"))!;
        var rotated = await other.RefreshAsync(grant.RefreshToken);
        Assert.Equal(RefreshStatus.Rotated, rotated.Status);
        Assert.True(await Store.RevokeSessionAsync(grant.SessionId));
        await Poll.UntilAsync(() => other.IsRevoked(grant.SessionId, "A1", DateTimeOffset.UtcNow), TimeSpan.FromSeconds(10), "revocation reaches the other replica");
        Assert.Equal(RefreshStatus.Invalid, (await other.RefreshAsync(rotated.Grant!.RefreshToken)).Status);
    }
}

/// <summary>A redis-server whose certificate no authority in [tls] ca_file vouches for is refused: no session ever goes there.</summary>
public sealed class RedisTlsRefusalTests : IAsyncLifetime
{
    private readonly TestCertificates _ours = TestCertificates.Create("hft CA");
    private readonly TestCertificates _other = TestCertificates.Create("another CA");
    private RedisFixture? _redis;

    public async Task InitializeAsync()
        // Its certificate from another authority; our node certificate would pass its client check.
        => _redis = await RedisFixture.StartNewAsync(new RedisTlsFiles(_other.CertFile, _other.KeyFile, _ours.CaFile));

    public async Task DisposeAsync()
    {
        try
        {
            if (_redis is not null) await _redis.DisposeAsync();
        }
        finally
        {
            _ours.Dispose();
            _other.Dispose();
        }
    }

    [Fact]
    public async Task A_server_certificate_from_another_authority_is_refused_with_a_warning_and_redis_stays_down()
    {
        var registry = Metrics.NewCustomRegistry();
        var log = new RecordingLogger();
        await using var redis = new RedisConnection(RedisStores.Config(_redis!.Connection), new RedisMetrics(registry, configured: true), log,
            new CertificateSource(_ours.CertFile, _ours.KeyFile, _ours.CaFile, TimeSpan.FromSeconds(10)));
        await redis.StartAsync(CancellationToken.None);

        await Poll.UntilAsync(() => log.Has(LogLevel.Warning, "refused the server certificate"), TimeSpan.FromSeconds(20), "the refusal logged");
        await Poll.UntilAsync(() => log.Has(LogLevel.Warning, "unreachable"), TimeSpan.FromSeconds(20), "redis reported down");
        Assert.False(redis.IsUp);
        Assert.Equal(0, await UpAsync(registry));
        Assert.Equal(1, log.Lines.Count(l => l.Message.Contains("refused the server certificate", StringComparison.Ordinal))); // once, not per retry
        await redis.StopAsync(CancellationToken.None);
    }

    private static async Task<double> UpAsync(CollectorRegistry registry)
    {
        using var text = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(text);
        return PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(text.ToArray())).Value("hft_redis_up");
    }
}
