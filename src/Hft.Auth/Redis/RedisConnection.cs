using Hft.Auth.Tls;
using Hft.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hft.Auth.Redis;

/// <summary>
/// The one StackExchange.Redis connection of the server, owned in the background: connecting never delays start-up,
/// a probe (PING with the command timeout) every <c>reconnect_interval_ms</c> keeps <see cref="IsUp"/> and
/// <c>hft_redis_up</c> honest, and each return of Redis bumps <see cref="UpEpoch"/> so the stores can repair what Redis
/// lost. Commands fail fast while disconnected (no backlog), so callers fall back at once instead of queueing.
/// </summary>
public sealed class RedisConnection : IHostedService, IAsyncDisposable
{
    private readonly RedisConfig _config;
    private readonly RedisMetrics _metrics;
    private readonly ILogger _log;
    private readonly CertificateSource? _tls;
    private readonly CancellationTokenSource _stop = new();
    private ConnectionMultiplexer? _mux;
    private Task? _loop;
    private volatile bool _up;
    private int _upEpoch;
    private int _disposed;

    /// <param name="tls">The node's [tls] material: with <c>ssl=true</c> Redis's certificate is checked against its ca_file and the node certificate is shown.</param>
    public RedisConnection(RedisConfig config, RedisMetrics metrics, ILogger log, CertificateSource? tls = null)
    {
        _tls = tls;
        _config = config;
        _metrics = metrics;
        _log = log;
        CommandTimeout = TimeSpan.FromMilliseconds(config.CommandTimeoutMs);
    }

    public bool IsUp => _up;

    /// <summary>Incremented on every transition to up (the first connect included).</summary>
    public int UpEpoch => Volatile.Read(ref _upEpoch);

    public TimeSpan CommandTimeout { get; }

    public string KeyPrefix => _config.KeyPrefix;

    /// <summary>The database, or null while no connection object exists yet.</summary>
    public IDatabase? Database => _mux?.GetDatabase();

    public ISubscriber? Subscriber => _mux?.GetSubscriber();

    /// <summary>Called by a caller whose command failed: counts it, and marks Redis down until the next probe succeeds.</summary>
    public void ReportFailure(Exception e)
    {
        _metrics.Error();
        if (_up && e is RedisConnectionException or ObjectDisposedException) MarkDown(e.Message);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var options = ConfigurationOptions.Parse(_config.Connection!);
        options.AbortOnConnectFail = false; // keep retrying in the background
        options.ConnectTimeout = _config.ConnectTimeoutMs;
        options.SyncTimeout = _config.CommandTimeoutMs;
        options.AsyncTimeout = _config.CommandTimeoutMs;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(_config.ReconnectIntervalMs);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName = "hft";
        if (options.Ssl && _tls is not null) RedisTls.Use(options, _tls, _log);
        try
        {
            _mux = await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (Exception e) when (e is RedisException or ArgumentException)
        {
            _log.LogWarning("redis: cannot create a connection to {Endpoint}: {Error}; sessions and cache stay local", _config.Connection, e.Message);
            return;
        }
        var interval = TimeSpan.FromMilliseconds(_config.ReconnectIntervalMs);
        bool warned = false;
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var probe = await ProbeAsync();
            // a closed connection counts at once; a slow PING only twice in a row (a loaded host is not an outage)
            failures = probe == Probe.Ok ? 0 : failures + 1;
            bool ok = probe == Probe.Ok || (probe == Probe.Slow && failures < 2 && _up);
            if (ok && !_up)
            {
                _up = true;
                _metrics.SetUp(true);
                Interlocked.Increment(ref _upEpoch);
                _log.LogInformation("redis: connected to {Endpoint}; sessions and market-data cache are shared", _config.Connection);
                warned = false;
            }
            else if (!ok && (_up || !warned))
            {
                MarkDown("no answer to PING");
                warned = true;
            }
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private enum Probe { Ok, Slow, Closed }

    private async Task<Probe> ProbeAsync()
    {
        if (_mux is not { IsConnected: true } mux) return Probe.Closed;
        try
        {
            await mux.GetDatabase().PingAsync().WaitAsync(CommandTimeout);
            return Probe.Ok;
        }
        catch (TimeoutException)
        {
            return Probe.Slow;
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException)
        {
            return Probe.Closed;
        }
    }

    private void MarkDown(string why)
    {
        _up = false;
        _metrics.SetUp(false);
        _log.LogWarning("redis: {Endpoint} unreachable ({Why}); trading continues, sessions fall back to the local revocation copy and the cache to the book",
                _config.Connection, why);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return; // the container disposes it as singleton and as hosted service
        await _stop.CancelAsync();
        if (_loop is not null) await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_mux is not null) await _mux.DisposeAsync();
        _stop.Dispose();
    }
}
