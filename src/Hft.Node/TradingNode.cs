using Hft.Auth;
using Hft.Auth.Sessions;
using Hft.Configuration;
using Hft.Feed;
using Hft.Gateways.Binary;
using Hft.Gateways.Fix;
using Hft.Pipeline;
using Hft.Pipeline.Monitoring;
using Hft.Pipeline.Replication;
using Hft.Server;
using Hft.Server.MarketData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Hft.Node;

/// <summary>
/// The composition root: one trading node, its stages built here in data-flow order, started in that order and
/// stopped in reverse. <c>./hft serve</c>, the tests and the benchmarks all build a node through <see cref="Create"/>.
/// </summary>
public sealed class TradingNode : IAsyncDisposable
{
    private readonly List<IHostedService> _stages;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private int _stopped;

    private TradingNode(HftConfig config, TradingPipeline pipeline, ApiHost? api, BinaryGateway? binary, FixAcceptor? fix,
        List<IHostedService> stages, ILoggerFactory loggers)
    {
        Config = config;
        Pipeline = pipeline;
        Api = api;
        Binary = binary;
        Fix = fix;
        _stages = stages;
        _loggers = loggers;
        _log = loggers.CreateLogger("Hft.Node");
    }

    public HftConfig Config { get; }

    public TradingPipeline Pipeline { get; }

    /// <summary>The REST/WebSocket host (null for a node built without listeners).</summary>
    public ApiHost? Api { get; }

    /// <summary>The binary order-entry gateway when <c>[gateway] binary_enabled</c>.</summary>
    public BinaryGateway? Binary { get; }

    /// <summary>The FIX 4.4 acceptor when <c>[gateway] fix_enabled</c>.</summary>
    public FixAcceptor? Fix { get; }

    /// <summary>The REST host's services (what its endpoints resolve).</summary>
    public IServiceProvider Services => Api?.Services ?? throw new InvalidOperationException("this node has no REST host");

    /// <summary>Where the REST host listens (port 0 in the config picks free ports).</summary>
    public IReadOnlyList<string> Urls => Api?.Urls ?? [];

    public Hft.Server.Operations.AuditLog Audit => Api?.Audit ?? throw new InvalidOperationException("this node has no REST host");

    /// <param name="config">The node's configuration (a profile plus overrides).</param>
    /// <param name="logging">Log providers (default: one-line console); tests pass <c>_ => { }</c> for silence.</param>
    /// <param name="marketData">WebSocket market-data limits (default: from <c>[market_data]</c>).</param>
    /// <param name="listen">False: the pipeline and its publishers only - no REST host, gateways or feed (benchmarks).</param>
    public static TradingNode Create(HftConfig config, Action<ILoggingBuilder>? logging = null, MarketDataOptions? marketData = null,
        bool listen = true)
    {
        var loggers = NodeLogging.Create(logging);

        // 1. Publishers that observe every decided command: client-visible order state, the trade tape, metrics,
        //    WebSocket market data, and the per-account event streams of the order-entry sessions.
        var registry = Metrics.NewCustomRegistry();
        var directory = new OrderDirectory();
        var tape = new TradeTape();
        var metrics = new PipelineMetrics(config, registry, new LatencyRecorder());
        marketData ??= MarketDataOptions.From(config.MarketData);
        var marketDataFeed = new MarketDataObserver(marketData.EventQueueCapacity);
        var accountEvents = new AccountEventHub();

        // 2. The pipeline: reference data, shards (risk -> match -> settle), journal recovery and writer.
        var pipeline = new TradingPipeline(config, [directory, tape, metrics, marketDataFeed, accountEvents]);
        metrics.Attach(pipeline);
        var stages = new List<IHostedService> { new PipelineService(pipeline, config, loggers.CreateLogger("Hft.Pipeline")) };

        // 3. Replication ([replication] enabled): this node's Raft member, started once the shards run.
        ReplicationService? replication = null;
        if (config.Replication.Enabled)
        {
            replication = new ReplicationService(pipeline, directory, loggers.CreateLogger("Hft.Replication"));
            stages.Add(replication);
        }
        if (!listen) return new TradingNode(config, pipeline, null, null, null, stages, loggers);

        // 4. Reference price feed ([feed]): journaled marks; staleness halts or widens the band.
        var feed = FeedStage.Create(pipeline, config, new FeedMetrics(registry), loggers.CreateLogger("Hft.Feed"));

        // 5. The REST/WebSocket host: API, /ws market data and user streams, auth, /metrics, /health, /ready.
        var api = ApiHost.Create(config, new ApiHostParts(pipeline, directory, tape, accountEvents, metrics, registry, marketDataFeed,
            marketData, loggers, replication, feed));

        // 6. Order-entry gateways over TCP: binary (docs/protocol/binary.md) and FIX 4.4 (docs/protocol/fix.md).
        BinaryGateway? binary = null;
        if (config.Gateway.BinaryEnabled)
        {
            var authenticator = new SessionAuthenticator(api.Services.GetRequiredService<ApiKeyStore>(), api.Services.GetRequiredService<TokenService>(),
                api.Services.GetRequiredService<ISessionStore>(), pipeline);
            binary = new BinaryGateway(config, pipeline, accountEvents, authenticator, new GatewayMetrics(registry, "binary"),
                loggers.CreateLogger("Hft.Gateways.Binary"));
        }
        FixAcceptor? fix = null;
        if (config.Gateway.FixEnabled)
            fix = new FixAcceptor(config, pipeline, accountEvents, directory, new FixMetrics(registry), loggers.CreateLogger("Hft.Gateways.Fix"));

        // Started in this order, stopped in reverse: the gateways stop taking orders before the pipeline drains.
        stages.Add(new HostStage(api));
        if (binary is not null) stages.Add(binary);
        if (fix is not null) stages.Add(fix);
        stages.Add(feed);
        var node = new TradingNode(config, pipeline, api, binary, fix, stages, loggers);
        node.LogStart();
        return node;
    }

    private void LogStart()
    {
        if (Pipeline.Journal.Mode == Hft.Journal.JournalMode.None)
            _log.LogWarning("journal: mode none - NOTHING IS DURABLE, a crash loses every order (development and benchmarks only)");
        else
            _log.LogInformation("journal: mode {Mode} in {Dir}; recovery: {Report}", Pipeline.Journal.Mode, Config.Journal.Dir, Pipeline.Recovery);
        foreach (var warning in Pipeline.Recovery.Warnings) _log.LogWarning("recovery: {Warning}", warning);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        foreach (var stage in _stages) await stage.StartAsync(cancellationToken);
    }

    /// <summary>Graceful stop, in reverse order: feed, gateways, REST host (in-flight requests finish), replication, then the shards drain.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        for (int i = _stages.Count - 1; i >= 0; i--) await _stages[i].StopAsync(cancellationToken);
    }

    /// <summary>Runs until SIGTERM/SIGINT, then stops gracefully.</summary>
    public async Task WaitForShutdownAsync()
    {
        var stopping = Api?.Stopping ?? CancellationToken.None;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (stopping.Register(() => done.TrySetResult()))
            await done.Task;
        await StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Api is not null) await Api.DisposeAsync();
        if (Fix is not null) await Fix.DisposeAsync();
        foreach (var stage in _stages)
            if (stage is IAsyncDisposable d && stage is not HostStage && stage != Fix) await d.DisposeAsync();
        _loggers.Dispose();
    }

    /// <summary>The REST host as a stage of the node.</summary>
    private sealed class HostStage(ApiHost api) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => api.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => api.StopAsync(cancellationToken);
    }
}
