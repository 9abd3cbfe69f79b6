using Hft.Auth;
using Hft.Auth.Audit;
using Hft.Auth.Guards;
using Hft.Auth.Tls;
using Hft.Auth.Sessions;
using Hft.Configuration;
using Hft.Feed;
using Hft.Gateways.Binary;
using Hft.Gateways.Fix;
using Hft.Journal;
using Hft.Pipeline;
using Hft.Pipeline.Durability;
using Hft.Pipeline.Monitoring;
using Hft.Pipeline.Recovery;
using Hft.Pipeline.Replication;
using Hft.Pipeline.Shards;
using Hft.Pipeline.State;
using Hft.Replication;
using Hft.Server;
using Hft.Server.Listeners;
using Hft.Server.MarketData;
using Hft.Server.MarketData.Binary;
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
    private readonly AuditLog? _audit;
    private readonly DataDirectoryLocks _directories;
    private int _started, _stopped;

    private TradingNode(HftConfig config, DataDirectoryLocks directories, TradingPipeline pipeline, Publishers publishers, ApiHost? api,
        BinaryGateway? binary, FixAcceptor? fix, List<IHostedService> stages, ILoggerFactory loggers, AuditLog? audit = null, LoginThrottle? logins = null,
        BinaryFeed? binaryFeed = null)
    {
        BinaryFeed = binaryFeed;
        _directories = directories;
        _audit = audit;
        Logins = logins;
        Config = config;
        Pipeline = pipeline;
        Directory = publishers.Directory;
        Tape = publishers.Tape;
        Metrics = publishers.Metrics;
        Api = api;
        Binary = binary;
        Fix = fix;
        _stages = stages;
        _loggers = loggers;
        _log = loggers.CreateLogger("Hft.Node");
    }

    public HftConfig Config { get; }

    public TradingPipeline Pipeline { get; }

    /// <summary>Client-visible order state (REST and FIX orders), kept by the publishers.</summary>
    public OrderDirectory Directory { get; }

    /// <summary>The recent trades per symbol and account.</summary>
    public TradeTape Tape { get; }

    /// <summary>The pipeline's counters and latency histograms.</summary>
    public PipelineMetrics Metrics { get; }

    /// <summary>The REST/WebSocket host (null for a node built without listeners).</summary>
    public ApiHost? Api { get; }

    /// <summary>The binary order-entry gateway when <c>[gateway] binary_enabled</c>.</summary>
    public BinaryGateway? Binary { get; }

    /// <summary>The FIX 4.4 acceptor when <c>[gateway] fix_enabled</c>.</summary>
    public FixAcceptor? Fix { get; }

    /// <summary>The binary UDP market-data feed and its recovery service when <c>[market_data] binary_feed_enabled</c>.</summary>
    public BinaryFeed? BinaryFeed { get; }

    /// <summary>The REST host's services (what its endpoints resolve).</summary>
    public IServiceProvider Services => Api?.Services ?? throw new InvalidOperationException("this node has no REST host");

    /// <summary>Where the REST host listens (port 0 in the config picks free ports).</summary>
    public IReadOnlyList<string> Urls => Api?.Urls ?? [];

    /// <summary>The audit trail every gateway writes to.</summary>
    public AuditLog Audit => _audit ?? throw new InvalidOperationException("this node has no listeners");

    /// <summary>Failed-login throttling shared by every gateway (null for a node built without listeners).</summary>
    public LoginThrottle? Logins { get; }

    /// <summary>The data directories this node holds locked until it is disposed (full paths).</summary>
    public IReadOnlyList<string> LockedDirectories => _directories.Directories;

    /// <param name="config">The node's configuration (a profile plus overrides).</param>
    /// <param name="logging">Log providers (default: one-line console); tests pass <c>_ => { }</c> for silence.</param>
    /// <param name="marketData">WebSocket market-data limits (default: from <c>[market_data]</c>).</param>
    /// <param name="listen">False: the pipeline and its publishers only - no REST host, gateways or feed (benchmarks).</param>
    /// <param name="listeners">The REST host's ports (default: from the config; tests ask for separate free ports).</param>
    /// <param name="gatewayClock">Time of the FIX acceptor's login timeout (default: the system clock; tests pass a manual one).</param>
    /// <param name="onRestartNeeded">Called with the reason when this node's state must be rebuilt from its data directories (a
    /// deposed leader holding records the group did not commit, a journal rebased onto the group's snapshot). Default: the
    /// process exits 75 for its supervisor to restart it; a test hosting several nodes in one process restarts the node itself.</param>
    /// <exception cref="DataDirectoryLockException">Another process holds one of the node's data directories.</exception>
    public static TradingNode Create(HftConfig config, Action<ILoggingBuilder>? logging = null, MarketDataOptions? marketData = null,
        bool listen = true, ListenerPlan? listeners = null, TimeProvider? gatewayClock = null, Action<string>? onRestartNeeded = null)
    {
        // 0. Ownership: the journal directory (with its snapshots), the Raft log and the FIX store are locked before
        //    anything reads them, and stay locked until the node is disposed (or the process dies): a second process on
        //    one of them is refused here instead of writing a journal of its own beside this one.
        var directories = DataDirectoryLocks.Acquire(NodeDataDirectories.Of(config, listen));
        try
        {
            return Build(config, directories, logging, marketData, listen, listeners, gatewayClock, onRestartNeeded);
        }
        catch
        {
            directories.Dispose();
            throw;
        }
    }

    private static TradingNode Build(HftConfig config, DataDirectoryLocks directories, Action<ILoggingBuilder>? logging, MarketDataOptions? marketData,
        bool listen, ListenerPlan? listeners, TimeProvider? gatewayClock, Action<string>? onRestartNeeded)
    {
        var loggers = NodeLogging.Create(config.Logging, logging);

        // 1. Reference data: instruments (tick, lot, band, mark; symbols not enabled start halted) and accounts with
        //    their limits, in the risk book every shard shares.
        var reference = ReferenceData.From(config);

        // 2. Publishers that observe every decided command, in this order: client-visible order state, the trade tape,
        //    metrics, WebSocket market data, the per-account event streams of the order-entry sessions. What they pass
        //    on to clients waits in the durable outbox (5).
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var directory = new OrderDirectory();
        var tape = new TradeTape(shards: reference.Instruments.Count); // at most one shard per instrument
        var metrics = new PipelineMetrics(config, registry, new LatencyRecorder());
        marketData ??= MarketDataOptions.From(config.MarketData);
        var marketDataFeed = new MarketDataObserver(marketData.EventQueueCapacity, tape); // after the tape: trades carry its ids
        var accountEvents = new AccountEventHub();
        IPipelineObserver[] publishers = [directory, tape, metrics, marketDataFeed, accountEvents];

        // 3. Matching shards: per shard an engine and the one command step (risk -> match -> settle) over the shared
        //    risk book, fed by a bounded ring; then the journal record of each decided command, then the publishers.
        //    max_workers ("CPU cores to utilize") is min(max_workers, instruments) shards plus the thread pool's minimum
        //    for the gateway, send and publisher work around them; cpu_affinity pins shard s to the s-th allowed CPU.
        var shards = ShardSet.Create(config.System, reference, publishers);
        var workers = new WorkerPlan(config.System.MaxWorkers, reference.Instruments.Count, Environment.ProcessorCount);
        ThreadPool.GetMinThreads(out int minWorkerThreads, out int minIoThreads);
        ThreadPool.SetMinThreads(Math.Max(minWorkerThreads, workers.ThreadPoolMinimum), Math.Max(minIoThreads, workers.ThreadPoolMinimum));
        var pipelineLog = loggers.CreateLogger("Hft.Pipeline");
        if (workers.Warning is { } tooMany) pipelineLog.LogWarning("{Warning}", tooMany);
        shards.Pinning.Failed = (shard, cpu, error) =>
            pipelineLog.LogWarning("cpu_affinity: shard {Shard} not pinned to CPU {Cpu}: {Error} (hft_cpu_pinning_failures_total)", shard, cpu, error);

        // 4. Durability: recover the snapshot and the journal through the same step, then open the journal after the
        //    last record (each shard appends what it decided; async mode: the deciding thread writes it).
        var journalMode = JournalModes.Parse(config.Journal.Mode);
        var recovery = journalMode == JournalMode.None
            ? RecoveryReport.Nothing
            : JournalRecovery.Run(config.Journal.Dir, config.Journal.Repair, reference, shards, directory, [directory, tape]);
        var journal = new JournalWriter(config.Journal.Dir, journalMode, recovery.LastSequence + 1,
            (long)config.Journal.SegmentMegabytes << 20, config.Journal.FsyncIntervalMs);
        foreach (var (sequence, crc) in recovery.Fingerprints) journal.SeedFingerprint(sequence, crc);

        // 5. The durable outbox: every reply, user event and market-data message leaves only once the journal's durable
        //    sequence has passed its command's record.
        var outbox = new DurableOutbox(journal.DurableSequence);
        journal.Listener = outbox;

        // 6. Admission: order ids, the global throttle, order entry by replication role, the shards' rings; with
        //    run_to_completion the submitting gateway thread processes its shard itself.
        var pipeline = new TradingPipeline(config, reference, shards, journal, outbox, recovery, [metrics], directory);
        metrics.Attach(pipeline);
        foreach (var shard in shards.All) shard.AttachReplicaObservers([directory, tape, marketDataFeed, accountEvents]);
        var stages = new List<IHostedService> { new PipelineService(pipeline, config, pipelineLog) };

        // 7. TLS material ([tls]): the node certificate, its key and the authorities, re-read when the files change;
        //    null when nothing turns TLS on.
        var tls = CertificateSource.From(config.Tls, log: loggers.CreateLogger("Hft.Tls"), metrics: new TlsMetrics(registry));

        // 8. Replication ([replication] enabled): this node's Raft member, started once the shards run; the journal
        //    hands it each batch and counts a record durable once the group committed it. [tls] raft: mutual TLS.
        ReplicationService? replication = null;
        if (config.Replication.Enabled)
        {
            var raftTls = config.Tls.Raft && tls is not null
                ? new RaftTls(TlsOptions.PeerServer(tls), peerHost => TlsOptions.PeerClient(tls, peerHost))
                : null;
            replication = new ReplicationService(pipeline, directory, loggers.CreateLogger("Hft.Replication"), onRestartNeeded, raftTls, loggers);
            stages.Add(replication);
        }
        //    Disaster recovery ([dr] enabled): no member of any group - this node streams the committed journal of a
        //    member over HTTP(S) and applies it through the same replicated-apply step; no order entry until an operator
        //    promotes it. HTTPS sources are checked against [tls] ca_file, showing the node certificate (mutual TLS).
        DrFollower? dr = null;
        if (config.Dr.Enabled)
        {
            dr = new DrFollower(pipeline, directory, loggers.CreateLogger("Hft.Dr"), DrHandler(tls));
            stages.Add(dr);
        }
        var parts = new Publishers(directory, tape, metrics);
        if (!listen) return new TradingNode(config, directories, pipeline, parts, null, null, null, stages, loggers);

        // 9. Reference price feed ([feed]): journaled marks; staleness halts or widens the band.
        var feed = FeedStage.Create(pipeline, config, new FeedMetrics(registry), loggers.CreateLogger("Hft.Feed"));

        // 10. Security every gateway shares: the audit trail (admin actions, failed logins, lockouts) and the
        //    failed-login throttle. Each listener also bounds what unauthenticated connections may cost
        //    ([security], docs/SECURITY.md).
        var audit = new AuditLog(config.Server.AuditLog, config.Security.AuditLinesPerSecond);
        var logins = new LoginThrottle(config.Security, audit);

        // 11. Binary market data ([market_data] binary_feed_enabled, docs/protocol/marketdata.md): the WebSocket
        //     publisher's thread also sends the durable order changes, trades and statuses as sequenced UDP packets;
        //     a TCP service retransmits recent ranges and serves book snapshots.
        BinaryFeed? binaryFeed = null;
        if (BinaryFeedOptions.From(config.MarketData, config.Server.Bind) is { } feedOptions)
        {
            binaryFeed = new BinaryFeed(feedOptions, pipeline.Instruments.Count);
            _ = new BinaryFeedMetrics(binaryFeed, registry);
        }

        // 12. Gateways. The REST/WebSocket host: API, /ws market data and user streams, auth on the API listener;
        //     /metrics and /debug on the operations listener; /health, /ready on both (one shared port in development).
        var api = ApiHost.Create(config, new ApiHostParts(pipeline, directory, tape, accountEvents, metrics, registry, marketDataFeed,
            marketData, loggers, replication, feed, audit, logins, listeners, tls, dr, binaryFeed));

        //    Order-entry gateways over TCP: binary (docs/protocol/binary.md) and FIX 4.4 (docs/protocol/fix.md).
        BinaryGateway? binary = null;
        if (config.Gateway.BinaryEnabled)
        {
            var authenticator = new SessionAuthenticator(api.Services.GetRequiredService<ApiKeyStore>(), api.Services.GetRequiredService<TokenService>(),
                api.Services.GetRequiredService<ISessionStore>(), pipeline);
            binary = new BinaryGateway(config, pipeline, accountEvents, authenticator, new GatewayMetrics(registry, "binary"), audit, logins,
                GatewayTls.For(config.Tls.Binary, tls, config), loggers.CreateLogger("Hft.Gateways.Binary"));
        }
        FixAcceptor? fix = null;
        if (config.Gateway.FixEnabled)
            fix = new FixAcceptor(config, pipeline, accountEvents, directory, new FixMetrics(registry), loggers.CreateLogger("Hft.Gateways.Fix"),
                audit, logins, gatewayClock, GatewayTls.For(config.Tls.Fix, tls, config));

        // Started in this order, stopped in reverse: the gateways stop taking orders before the pipeline drains.
        stages.Add(new HostStage(api));
        if (binaryFeed is not null) stages.Add(binaryFeed.Recovery);
        if (binary is not null) stages.Add(binary);
        if (fix is not null) stages.Add(fix);
        stages.Add(feed);
        var node = new TradingNode(config, directories, pipeline, parts, api, binary, fix, stages, loggers, audit, logins, binaryFeed);
        node.LogStart();
        return node;
    }

    /// <summary>How a DR replica reaches its sources: with [tls] material, an https source must chain to ca_file and is shown the node certificate.</summary>
    private static SocketsHttpHandler DrHandler(CertificateSource? tls)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        if (tls is not null) handler.SslOptions = TlsOptions.PeerClient(tls, "");
        return handler;
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
        Volatile.Write(ref _started, 1);
        foreach (var stage in _stages) await stage.StartAsync(cancellationToken);
        if (BinaryFeed is { } feed)
            _log.LogInformation("binary market-data feed: session {Session} to {Destinations}; recovery on {Bind}:{Port} (docs/protocol/marketdata.md)",
                feed.Session.ToString(), string.Join(", ", feed.Destinations), feed.Options.RecoveryBind, feed.Recovery.Port);
    }

    /// <summary>
    /// Graceful stop, in reverse order: feed, gateways, REST host (in-flight requests finish), replication, then the
    /// shards drain. A node never started (recovery only, or its pipeline driven by hand) only drains its shards and
    /// closes its journal: no shutdown snapshot.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        if (Volatile.Read(ref _started) == 0)
        {
            Pipeline.Stop(TimeSpan.FromSeconds(Config.System.ShutdownTimeoutSeconds));
            return;
        }
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

    /// <summary>Stops (when not stopped yet), disposes every part, and last releases the data directories.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
            if (Api is not null) await Api.DisposeAsync();
            if (Fix is not null) await Fix.DisposeAsync();
            foreach (var stage in _stages)
                if (stage is IAsyncDisposable d && stage is not HostStage && stage != Fix) await d.DisposeAsync();
            BinaryFeed?.Dispose();
            _audit?.Dispose();
            _loggers.Dispose();
        }
        finally
        {
            _directories.Dispose();
        }
    }

    private sealed record Publishers(OrderDirectory Directory, TradeTape Tape, PipelineMetrics Metrics);

    /// <summary>The REST host as a stage of the node.</summary>
    private sealed class HostStage(ApiHost api) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => api.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => api.StopAsync(cancellationToken);
    }
}
