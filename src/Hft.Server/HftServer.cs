using Hft.Server.Api;
using Hft.Server.Auth;
using Hft.Server.Configuration;
using Hft.Server.MarketData;
using Hft.Server.Operations;
using Hft.Server.Pipeline;
using Hft.Server.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hft.Server;

/// <summary>
/// The trading server: one process hosting the pipeline (shards, risk), the REST API, auth and the operations
/// endpoints on Kestrel. This is the composition root of the server, read top to bottom.
/// </summary>
public sealed class HftServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HftServer(WebApplication app, TradingPipeline pipeline, HftConfig config, AuditLog audit)
    {
        _app = app;
        Pipeline = pipeline;
        Config = config;
        Audit = audit;
    }

    public TradingPipeline Pipeline { get; }

    public HftConfig Config { get; }

    /// <summary>The audit trail ([server] audit_log) of admin actions, auth failures and token grants.</summary>
    public AuditLog Audit { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The addresses Kestrel actually listens on (port 0 in the config picks free ports).</summary>
    public IReadOnlyList<string> Urls => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    public static HftServer Create(HftConfig config, Action<ILoggingBuilder>? logging = null, MarketDataOptions? marketData = null,
        IReadOnlyList<Action<ServerModuleContext>>? modules = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is null) builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        else logging(builder.Logging);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error); // keys are unused: tokens are JWTs

        // 1. Kestrel: the metrics port always; the API port too when [server] http_port names another.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = config.Server.MaxRequestBodyBytes;
            var address = System.Net.IPAddress.Parse(config.Server.Bind);
            k.Listen(address, config.Monitoring.MetricsPort);
            if (config.Server.HttpPort != 0 && config.Server.HttpPort != config.Monitoring.MetricsPort) k.Listen(address, config.Server.HttpPort);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(config.System.ShutdownTimeoutSeconds));
        RequestBody.Limit = config.Server.MaxRequestBodyBytes;

        // 2. The pipeline and what observes it (order directory, trade tape, metrics).
        var directory = new OrderDirectory();
        var tape = new TradeTape();
        var metrics = builder.Services.AddOperations(config);
        marketData ??= MarketDataOptions.From(config.MarketData);
        var feed = new MarketDataObserver(marketData.EventQueueCapacity);
        var accountEvents = new AccountEventHub(); // private order-event streams: WebSocket user channel, binary and FIX sessions
        var pipeline = new TradingPipeline(config, [directory, tape, metrics, feed, accountEvents]);
        builder.Services.AttachOperations(metrics, pipeline);
        var rates = config.Accounts.ToDictionary(a => pipeline.Accounts.GetOrAdd(a.Id), a => a.RequestsPerSecond);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(pipeline);
        builder.Services.AddSingleton(directory);
        builder.Services.AddSingleton(tape);
        builder.Services.AddSingleton(accountEvents);
        builder.Services.AddSingleton(new ReadinessChecks());
        // WebSocket market data and user channel (/ws), off the shard threads
        var publisher = new MarketDataPublisher(pipeline, feed, marketData, accountEvents, directory);
        builder.Services.AddSingleton(sp => new MarketDataMetrics(publisher, feed, sp.GetRequiredService<Prometheus.CollectorRegistry>()));
        builder.Services.AddSingleton(publisher);
        builder.Services.AddSingleton(sp => new WsAuth(sp.GetRequiredService<TokenService>(), sp.GetRequiredService<Hft.Server.Sessions.ISessionStore>(), pipeline.Accounts, config));
        builder.Services.AddSingleton(new RequestAccount(pipeline.Accounts, new AccountRateLimiter(a => rates.GetValueOrDefault(a))));
        builder.Services.AddHostedService(sp => new PipelineService(pipeline, config, sp.GetRequiredService<ILogger<PipelineService>>()));
        // 2a. [replication]: this node's member of its Raft group (started after the shards, stopped before they drain).
        if (config.Replication.Enabled)
        {
            builder.Services.AddSingleton(sp => new Replication.ReplicationService(pipeline, directory, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hft.Replication")));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<Replication.ReplicationService>());
        }
        builder.Services.AddSingleton(sp => new Replication.ReplicationMetrics(pipeline, sp.GetService<Replication.ReplicationService>(),
            sp.GetRequiredService<Prometheus.CollectorRegistry>()));
        builder.Services.AddHostedService(_ => publisher);

        // Reference price feed ([feed]): adapter -> journaled marks, staleness -> feed halt / band widening. Registered
        // after the pipeline service, so it starts after the shards and stops before they drain.
        builder.Services.AddSingleton(sp => Feed.FeedStage.Create(pipeline, config,
            new Feed.FeedMetrics(sp.GetRequiredService<Prometheus.CollectorRegistry>()), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hft.Feed")));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Feed.FeedStage>());
        // 2b. Modules hosted beside the API (the binary and FIX order-entry gateways of Hft.Gateways, wired by the CLI).
        var moduleContext = new ServerModuleContext(builder, config, pipeline, accountEvents, directory);
        foreach (var module in modules ?? []) module(moduleContext);

        // 3. Auth: JWT bearer; tokens minted from API keys or by ./hft token. Every 401/403 is audited.
        var keys = SigningKeys.From(config.Auth);
        var audit = new AuditLog(config.Server.AuditLog);
        builder.Services.AddSingleton(audit);
        builder.Services.AddHftAuth(config, new TokenService(config.Auth, keys), (http, message) =>
        {
            bool forbidden = message == "forbidden";
            audit.Write(http, forbidden ? "auth.forbidden" : "auth.unauthorized", RequestTarget(http),
                forbidden ? "403 forbidden" : "401 unauthorized", forbidden ? "the endpoint needs a role the token lacks" : message);
        });

        // 3b. Sessions, revocation list and the public market-data cache: in Redis when [redis] connection is set
        // (shared by replicas; an outage never stops trading), else in memory. Sessions/SessionServices.cs.
        builder.Services.AddSessionsAndCache(config);

        var app = builder.Build();
        if (config.Monitoring.EnablePrometheus) _ = app.Services.GetRequiredService<MarketDataMetrics>(); // scrape-time gauges
        _ = app.Services.GetRequiredService<Hft.Server.Redis.RedisMetrics>(); // hft_redis_* exported from the first scrape
        if (config.Redis.IsConfigured)
            app.Logger.LogInformation("redis: sessions and market-data cache in {Endpoint} (connecting in the background)", config.Redis.Connection);
        else
            app.Logger.LogInformation("redis: not configured; sessions and market-data cache in memory (one replica)");
        if (keys.IsDevelopmentSecret)
            app.Logger.LogWarning("auth: signing tokens with the DEVELOPMENT secret ({Profile} profile) - never use it in production", config.Profile);
        app.Logger.LogInformation("audit: admin actions, auth failures and token grants to {Path}", audit.Path);
        if (pipeline.Journal.Mode == Hft.Journal.JournalMode.None)
            app.Logger.LogWarning("journal: mode none - NOTHING IS DURABLE, a crash loses every order (development and benchmarks only)");
        else
            app.Logger.LogInformation("journal: mode {Mode} in {Dir}; recovery: {Report}", pipeline.Journal.Mode, config.Journal.Dir, pipeline.Recovery);
        foreach (var warning in pipeline.Recovery.Warnings) app.Logger.LogWarning("recovery: {Warning}", warning);
        app.Services.GetRequiredService<ReadinessChecks>().Add(() => pipeline.Journal.Failure is { } f ? $"journal failed: {f.Message}" : null);
        _ = app.Services.GetRequiredService<Replication.ReplicationMetrics>(); // hft_replication_* from the first scrape
        if (config.Replication.Enabled)
        {
            var replication = app.Services.GetRequiredService<Replication.ReplicationService>();
            app.Services.GetRequiredService<ReadinessChecks>().Add(() => replication.ReadinessProblem());
        }

        // 4. Endpoints. Responses the framework ends without a body (e.g. 400 for a query parameter that does not bind,
        // such as ?limit=abc) get the API's error shape too.
        app.UseStatusCodePages(status => ApiError.WriteBare(status.HttpContext));
        // A command the journal could not make durable is never acknowledged; a pipeline that does not answer in time
        // is reported the same way: 503, and the client may retry (client order ids make that safe).
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (JournalFailedException) when (!http.Response.HasStarted)
            {
                await ApiError.Write(http, StatusCodes.Status503ServiceUnavailable, "journal_failed", "the journal could not make the command durable; it was not acknowledged");
            }
            catch (NotLeaderException e) when (!http.Response.HasStarted)
            {
                await ApiError.WriteNotLeader(http, e.LeaderUrl);
            }
            catch (TimeoutException) when (!http.Response.HasStarted)
            {
                await ApiError.Write(http, StatusCodes.Status503ServiceUnavailable, "timeout", "the matching pipeline did not answer in time");
            }
        });
        // Any 401/403 not audited where it was decided (e.g. an unknown account, a disabled one) is audited here.
        app.Use(async (http, next) =>
        {
            await next(http);
            if (http.Response.StatusCode is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden && !AuditLog.WasAudited(http))
                audit.Write(http, "auth.denied", RequestTarget(http), http.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapStateHashEndpoint();
        Replication.ReplicationEndpoints.MapReplicationEndpoints(app);
        app.MapOperationsEndpoints(config);
        app.MapAuthEndpoints((http, action, result) => audit.Write(http, action, RequestTarget(http), result));
        app.MapOrderEndpoints();
        app.MapAccountEndpoints();
        app.MapMarketEndpoints();
        app.MapAdminEndpoints();
        app.MapMarketDataSocket();
        app.MapFeedEndpoints();
        app.MapFallback((HttpContext http) => ApiError.NotFound("not_found", $"no endpoint {http.Request.Method} {http.Request.Path}"));
        return new HftServer(app, pipeline, config, audit);
    }

    private static string RequestTarget(HttpContext http) => $"{http.Request.Method} {http.Request.Path}";

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Graceful stop: Kestrel stops accepting and finishes in-flight requests, then the shards drain.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Runs until SIGTERM/SIGINT, then stops gracefully.</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Audit.Dispose();
    }
}

/// <summary>
/// Starts the shard threads with the host and drains them when it stops (after Kestrel has stopped accepting). With a
/// journal it also snapshots: every <c>[journal] snapshot_interval_seconds</c> (0 = never periodically) on a background
/// timer, and once more after a clean drain on shutdown.
/// </summary>
internal sealed class PipelineService(TradingPipeline pipeline, HftConfig config, ILogger<PipelineService> log) : IHostedService
{
    private Timer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        pipeline.Start();
        log.LogInformation("pipeline: {Shards} matching shard(s), queue {Queue} each, {Instruments} instrument(s), throttle {Rate}/s",
            pipeline.Shards.Count, pipeline.Shards[0].QueueCapacity, pipeline.Instruments.Count, config.Trading.MaxOrdersPerSecond);
        int interval = config.Journal.SnapshotIntervalSeconds;
        if (interval > 0 && pipeline.Journal.Mode != Hft.Journal.JournalMode.None)
        {
            var period = TimeSpan.FromSeconds(interval);
            _timer = new Timer(_ => Snapshot("periodic"), null, period, period);
        }
        return Task.CompletedTask;
    }

    private void Snapshot(string why)
    {
        try
        {
            var r = pipeline.TakeSnapshot(TimeSpan.FromSeconds(30));
            log.LogInformation("snapshot ({Why}): seq {Sequence}, {Orders} resting order(s), {Bytes} bytes in {Ms:N1} ms (shards paused {Paused:N1} ms); pruned {Snapshots} snapshot(s), {Segments} segment(s)",
                why, r.Sequence, r.Orders, r.Bytes, r.Elapsed.TotalMilliseconds, r.Paused.TotalMilliseconds, r.Pruned.Snapshots.Count, r.Pruned.Segments.Count);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or UnauthorizedAccessException)
        {
            log.LogError("snapshot ({Why}) failed: {Error}", why, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        bool drained = pipeline.Stop(TimeSpan.FromSeconds(config.System.ShutdownTimeoutSeconds));
        if (drained) log.LogInformation("pipeline: drained and stopped");
        else log.LogWarning("pipeline: shutdown timeout reached before every queue drained");
        if (drained && pipeline.Journal.Mode != Hft.Journal.JournalMode.None && pipeline.Journal.Failure is null) Snapshot("shutdown");
        return Task.CompletedTask;
    }
}

/// <summary>
/// What a module hosted in the server (e.g. an order-entry gateway) gets to wire itself in: the host builder for its
/// services and hosted listeners, the configuration, the pipeline it submits to, the account event streams and the
/// order directory (client order ids of REST orders).
/// </summary>
public sealed record ServerModuleContext(WebApplicationBuilder Builder, HftConfig Config, TradingPipeline Pipeline,
    AccountEventHub AccountEvents, OrderDirectory Directory);
