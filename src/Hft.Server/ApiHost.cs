using Hft.Auth;
using Hft.Auth.Audit;
using Hft.Auth.Tls;
using Hft.Auth.Guards;
using Hft.Auth.Redis;
using Hft.Auth.Sessions;
using Hft.Configuration;
using Hft.WebConsole;
using Hft.Feed;
using Hft.Pipeline;
using Hft.Pipeline.Monitoring;
using Hft.Pipeline.Replication;
using Hft.Pipeline.State;
using Hft.Server.Api;
using Hft.Server.Auth;
using Hft.Server.Listeners;
using Hft.Server.MarketData;
using Hft.Server.Operations;
using Hft.Server.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Hft.Server;

/// <summary>The pieces of a trading node the REST/WebSocket host serves (built by the node's composition root).</summary>
public sealed record ApiHostParts(
    TradingPipeline Pipeline,
    OrderDirectory Directory,
    TradeTape Tape,
    AccountEventHub AccountEvents,
    PipelineMetrics Metrics,
    CollectorRegistry Registry,
    MarketDataObserver MarketDataFeed,
    MarketDataOptions MarketData,
    ILoggerFactory Loggers,
    ReplicationService? Replication,
    FeedStage? Feed,
    AuditLog Audit,
    LoginThrottle Logins,
    ListenerPlan? Listeners = null,
    CertificateSource? Tls = null,
    DrFollower? Dr = null,
    MarketData.Binary.BinaryFeed? BinaryFeed = null);

/// <summary>
/// The REST/WebSocket gateway on Kestrel: the API under /api/v1, /ws market data and user streams, auth, the
/// operations endpoints (/metrics, /debug) and /health, /ready - over a pipeline built elsewhere (the node's composition
/// root). Two listeners, or one shared in development (Listeners/): the API's ([server] http_port) and the operations
/// one ([monitoring] metrics_port). It owns nothing of the pipeline: starting it opens the listeners, stopping it closes them.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiHost(WebApplication app, HftConfig config, AuditLog audit, HostListeners listeners, OpsAccess opsAccess)
    {
        _app = app;
        Config = config;
        Audit = audit;
        Listeners = listeners;
        OpsAccess = opsAccess;
    }

    public HftConfig Config { get; }

    /// <summary>The audit trail ([server] audit_log) of admin actions, auth failures and token grants.</summary>
    public AuditLog Audit { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The API and operations listeners (one shared port in development).</summary>
    public HostListeners Listeners { get; }

    /// <summary>Who may read /metrics and /debug, and who sees the per-account series.</summary>
    public OpsAccess OpsAccess { get; }

    /// <summary>Each listener's address and what it serves, for the start-up lines (once started).</summary>
    public IReadOnlyList<(Uri Url, string Serves)> ListenerRoles => Listeners.Shared
        ? [(Listeners.ApiUrl, $"one shared port: API /api/v1 and /ws, the web console /, operations /metrics and /debug, /health, /ready; {OpsAccess.OperatorRule}")]
        :
        [
            (Listeners.ApiUrl, "API: /api/v1, /ws, /health, /ready, the web console /"),
            (Listeners.OperationsUrl, $"operations: /metrics, /debug, /health, /ready for [monitoring] allowed_cidrs; {OpsAccess.OperatorRule}"),
        ];

    /// <summary>Fires when the process is asked to stop (SIGTERM, SIGINT).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>The addresses Kestrel actually listens on (port 0 in the config picks free ports).</summary>
    public IReadOnlyList<string> Urls => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    public static ApiHost Create(HftConfig config, ApiHostParts parts)
    {
        var pipeline = parts.Pipeline;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(parts.Loggers); // one logger factory for the whole node

        // 1. Kestrel: the operations listener ([monitoring] metrics_port) always; the API's beside it when [server]
        //    http_port names a port of its own, else the API shares the operations port (development).
        var listeners = new HostListeners(parts.Listeners ?? ListenerPlan.From(config));
        var opsAccess = new OpsAccess(config.Monitoring, listeners);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = config.Server.MaxRequestBodyBytes;
            listeners.Open(k, System.Net.IPAddress.Parse(config.Server.Bind), parts.Tls, config.Tls);
        });
        // [gateway] socket buffers on the HTTP/WebSocket listening sockets too (accepted connections inherit them).
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(o =>
            o.CreateBoundListenSocket = endpoint =>
            {
                var socket = Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                Hft.Auth.Guards.SocketBuffers.Apply(socket, config.Gateway);
                return socket;
            });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(config.System.ShutdownTimeoutSeconds));

        // 2. What the endpoints read and call: the pipeline and its publishers.
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(pipeline);
        builder.Services.AddSingleton(parts.Directory);
        builder.Services.AddSingleton(parts.Tape);
        builder.Services.AddSingleton(parts.AccountEvents);
        builder.Services.AddSingleton(parts.Registry);
        builder.Services.AddSingleton(parts.Metrics);
        builder.Services.AddSingleton(parts.Metrics.Latency);
        builder.Services.AttachOperations(pipeline);
        builder.Services.AddSingleton(new ReadinessChecks());
        var rates = config.Accounts.ToDictionary(a => pipeline.Accounts.GetOrAdd(a.Id), a => a.RequestsPerSecond);
        // WebSocket market data and user channel (/ws), off the shard threads
        var publisher = new MarketDataPublisher(pipeline, parts.MarketDataFeed, parts.MarketData, parts.AccountEvents, parts.Directory, parts.BinaryFeed);
        builder.Services.AddSingleton(sp => new MarketDataMetrics(publisher, parts.MarketDataFeed, parts.Registry));
        builder.Services.AddSingleton(publisher);
        builder.Services.AddHostedService(_ => publisher);
        builder.Services.AddSingleton(new Level3Access(config));
        builder.Services.AddSingleton(sp => new WsAuth(sp.GetRequiredService<TokenService>(), sp.GetRequiredService<ISessionStore>(), pipeline.Accounts,
            sp.GetRequiredService<Level3Access>(), parts.Logins));
        builder.Services.AddSingleton(_ => new PublicReadLimit(config.Server)); // created, so disposed, by the container
        builder.Services.AddSingleton(new RequestAccount(pipeline.Accounts, new AccountRateLimiter(a => rates.GetValueOrDefault(a))));
        if (parts.Replication is { } replication) builder.Services.AddSingleton(replication);
        builder.Services.AddSingleton(sp => new Replication.ReplicationMetrics(pipeline, parts.Replication, parts.Registry));
        if (parts.Dr is { } dr)
        {
            builder.Services.AddSingleton(dr);
            builder.Services.AddSingleton(sp => new Replication.DrMetrics(dr, parts.Registry));
        }
        if (parts.Feed is { } feed) builder.Services.AddSingleton(feed);

        // 3. Auth: JWT bearer; tokens minted from API keys or by ./hft token. Every 401/403 is audited.
        var keys = SigningKeys.From(config.Auth);
        var audit = parts.Audit;
        builder.Services.AddSingleton(audit);
        builder.Services.AddSingleton(parts.Logins);
        if (parts.Tls is { } tls) builder.Services.AddSingleton(tls); // the node's [tls] material (Redis over TLS shows it)
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
        _ = app.Services.GetRequiredService<RedisMetrics>(); // hft_redis_* exported from the first scrape
        if (config.Redis.IsConfigured)
            app.Logger.LogInformation("redis: sessions and market-data cache in {Endpoint} (connecting in the background)", config.Redis.Connection);
        else
            app.Logger.LogInformation("redis: not configured; sessions and market-data cache in memory (one replica)");
        if (keys.IsDevelopmentSecret)
            app.Logger.LogWarning("auth: signing tokens with the DEVELOPMENT secret ({Profile} profile) - never use it in production", config.Profile);
        app.Logger.LogInformation("audit: admin actions, auth failures and token grants to {Path}", audit.Path);
        var readiness = app.Services.GetRequiredService<ReadinessChecks>();
        readiness.Add(() => pipeline.Journal.Failure is { } f ? $"journal failed: {f.Message}" : null);
        _ = app.Services.GetRequiredService<Replication.ReplicationMetrics>(); // hft_replication_* from the first scrape
        if (parts.Replication is { } member) readiness.Add(member.ReadinessProblem);
        if (parts.Dr is { } replica)
        {
            _ = app.Services.GetRequiredService<Replication.DrMetrics>(); // hft_replication_dr_* from the first scrape
            readiness.Add(replica.ReadinessProblem);
        }

        // 4. Endpoints. Responses the framework ends without a body (e.g. 400 for a query parameter that does not bind,
        // such as ?limit=abc) get the API's error shape too.
        app.UseStatusCodePages(status => ApiError.WriteBare(status.HttpContext));
        // REST traffic: hft_gateway_messages_total{protocol="http"} counts API requests (in) and responses (out); the
        // operations paths (scrapes, probes, /debug) and the console's static files are not client traffic. Bytes of
        // HTTP are the ingress's to count.
        var httpMessages = GatewayMetricFamilies.Messages(parts.Registry);
        var (requests, responses) = (httpMessages.WithLabels("http", "in"), httpMessages.WithLabels("http", "out"));
        app.Use(async (http, next) =>
        {
            if (IsOperationsPath(http.Request.Path) || ConsoleEndpoints.IsConsolePath(http.Request.Path))
            {
                await next(http);
                return;
            }
            requests.Inc();
            try
            {
                await next(http);
            }
            finally
            {
                responses.Inc();
            }
        });
        // A command the journal could not make durable is never acknowledged; a pipeline that does not answer in time
        // is reported the same way: 503, and the client may retry (client order ids make that safe). Anything else
        // thrown is a 500 in the error shape.
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
            catch (Exception e) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                // a bug, never a client's fault: logged in full, answered without the exception's text
                app.Logger.LogError(e, "unhandled error in {Method} {Path}", http.Request.Method, http.Request.Path);
                await ApiError.Write(http, StatusCodes.Status500InternalServerError, "internal_error", "the server failed to handle this request; the error is logged");
            }
        });
        // Any 401/403 not audited where it was decided (e.g. an unknown account, a disabled one) is audited here.
        app.Use(async (http, next) =>
        {
            await next(http);
            if (http.Response.StatusCode is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden && !HttpAudit.WasAudited(http))
                audit.Write(http, "auth.denied", RequestTarget(http), http.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        // Each endpoint on its listener only (404 elsewhere); /metrics and /debug for allowed addresses, the operator's
        // view (per-account series, order owners) for the ops token or an admin token (Operations/OpsAccess.cs).
        app.UseListenerRouting(listeners);
        app.UseWsTransport(); // /ws writes pre-framed batches to the upgraded stream (MarketData/WsTransport.cs)
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseOpsGate(opsAccess, audit);
        app.UseAuthorization();
        var everyListener = app.MapGroup("").WithMetadata(ServedOn.EveryListener);
        everyListener.MapHealthEndpoints();
        Replication.ReplicationEndpoints.MapReplicationEndpoints(everyListener);
        var operations = app.MapGroup("").WithMetadata(ServedOn.Operations);
        operations.MapStateHashEndpoint();
        Replication.DrEndpoints.MapDrEndpoints(operations);
        operations.MapOperationsEndpoints(config);
        app.MapOpenApiDocument();
        app.MapAuthEndpoints((http, action, result) => audit.Write(http, action, RequestTarget(http), result));
        app.MapOrderEndpoints();
        app.MapAccountEndpoints();
        app.MapMarketEndpoints();
        app.MapAdminEndpoints();
        app.MapAdminViewEndpoints();
        app.MapMarketDataSocket();
        if (parts.Feed is not null) app.MapFeedEndpoints();
        app.MapConsole(); // the web console at / (static files; it calls the API above with the user's token)
        app.MapFallback(ListenerRouting.NoEndpoint);
        return new ApiHost(app, config, audit, listeners, opsAccess);
    }

    private static string RequestTarget(HttpContext http) => $"{http.Request.Method} {http.Request.Path}";

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Graceful stop: Kestrel stops accepting and finishes in-flight requests.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync(); // the audit log belongs to the node
    }

    private static bool IsOperationsPath(PathString path)
        => path.StartsWithSegments("/metrics") || path.StartsWithSegments("/debug") || path.StartsWithSegments("/health")
            || path.StartsWithSegments("/ready");
}
