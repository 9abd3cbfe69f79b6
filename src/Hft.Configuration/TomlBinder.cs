using Tomlyn.Model;

namespace Hft.Configuration;

/// <summary>
/// Maps a parsed TOML document (plus HFT_* environment overrides) onto <see cref="HftConfig"/>: snake_case keys,
/// types and numeric ranges are checked here, key by key; unknown keys are refused. Cross-key rules are in
/// <see cref="ConfigValidator"/>. Absent keys keep the record defaults.
/// </summary>
internal static class TomlBinder
{
    public static HftConfig Bind(TomlTable document, BindContext ctx, string profile, string? sourceFile)
    {
        var root = new SectionReader(ctx, "", document, "");
        var defaults = new HftConfig();

        var config = new HftConfig
        {
            Profile = profile,
            SourceFile = sourceFile,
            System = BindSystem(root.Table("system"), defaults.System),
            Trading = BindTrading(root.Table("trading"), defaults.Trading),
            Risk = BindRisk(root.Table("risk"), defaults.Risk),
            Accounts = root.TableArray("accounts")?.Select(BindAccount).ToList() ?? defaults.Accounts,
            LatencyProfiling = BindLatency(root.Table("latency_profiling"), defaults.LatencyProfiling),
            Monitoring = BindMonitoring(root.Table("monitoring"), defaults.Monitoring),
            Server = BindServer(root.Table("server"), defaults.Server),
            Auth = BindAuth(root.Table("auth"), defaults.Auth),
            Journal = BindJournal(root.Table("journal"), defaults.Journal),
            Redis = BindRedis(root.Table("redis"), defaults.Redis),
            Feed = BindFeed(root.Table("feed"), defaults.Feed),
            Gateway = BindGateway(root.Table("gateway"), defaults.Gateway),
            MarketData = BindMarketData(root.Table("market_data"), defaults.MarketData),
            Replication = BindReplication(root.Table("replication"), defaults.Replication),
        };
        root.RejectUnknownKeys();

        foreach (var unused in ctx.Environment.Unused)
            throw new ConfigException(ctx.File, null, unused.Name,
                "environment override matches no known key (HFT_<SECTION>__<KEY>; array elements by index or id, e.g. HFT_ACCOUNTS__A1__CREDIT)");
        return config;
    }

    private static SystemConfig BindSystem(SectionReader r, SystemConfig d)
    {
        var c = new SystemConfig
        {
            MaxWorkers = r.Int("max_workers", d.MaxWorkers, 1, 64),
            WorkerQueueSize = r.Int("worker_queue_size", d.WorkerQueueSize, 16, 16_777_216),
            CpuAffinity = r.Bool("cpu_affinity", d.CpuAffinity),
            IdleStrategy = r.String("idle_strategy", d.IdleStrategy).Trim().ToLowerInvariant(),
            RunToCompletion = r.Bool("run_to_completion", d.RunToCompletion),
            ShutdownTimeoutSeconds = r.Int("shutdown_timeout_seconds", d.ShutdownTimeoutSeconds, 1, 3600),
        };
        if (c.IdleStrategy is not ("backoff" or "busy_spin"))
            throw r.Error("idle_strategy", $"must be \"backoff\" or \"busy_spin\", got \"{c.IdleStrategy}\"");
        r.RejectUnknownKeys();
        return c;
    }

    private static TradingConfig BindTrading(SectionReader r, TradingConfig d)
    {
        var c = new TradingConfig
        {
            MaxOrdersPerSecond = r.Int("max_orders_per_second", d.MaxOrdersPerSecond, 0, 100_000_000),
            EnabledSymbols = r.StringList("enabled_symbols", d.EnabledSymbols),
            Instruments = r.TableArray("instruments")?.Select(BindInstrument).ToList() ?? d.Instruments,
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static InstrumentConfig BindInstrument(SectionReader r)
    {
        var symbol = r.String("symbol", "", required: true);
        r.AddEnvAlias(symbol);
        var c = new InstrumentConfig
        {
            Symbol = symbol,
            Tick = r.Decimal("tick", null, required: true) ?? throw r.Error("tick", "must not be empty"),
            Lot = r.Decimal("lot", null, required: true) ?? throw r.Error("lot", "must not be empty"),
            PriceBandPct = r.Decimal("price_band_pct", null),
            MarkPrice = r.Decimal("mark_price", null),
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static RiskConfig BindRisk(SectionReader r, RiskConfig d)
    {
        var c = new RiskConfig
        {
            Credit = r.Decimal("credit", d.Credit),
            MaxOrderQty = r.Decimal("max_order_qty", d.MaxOrderQty),
            MaxOrderNotional = r.Decimal("max_order_notional", d.MaxOrderNotional),
            MaxPosition = r.Decimal("max_position", d.MaxPosition),
            MaxOpenOrders = r.IntOrNull("max_open_orders", d.MaxOpenOrders, 1, 10_000_000),
            MakerFeeBps = r.Decimal("maker_fee_bps", d.MakerFeeBps) ?? "0",
            TakerFeeBps = r.Decimal("taker_fee_bps", d.TakerFeeBps) ?? "0",
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static AccountConfig BindAccount(SectionReader r)
    {
        var d = new AccountConfig();
        var id = r.String("id", "", required: true);
        r.AddEnvAlias(id);
        var c = new AccountConfig
        {
            Id = id,
            Enabled = r.Bool("enabled", d.Enabled),
            Credit = r.Decimal("credit", null),
            MaxOrderQty = r.Decimal("max_order_qty", null),
            MaxOrderNotional = r.Decimal("max_order_notional", null),
            MaxPosition = r.Decimal("max_position", null),
            MaxOpenOrders = r.IntOrNull("max_open_orders", null, 1, 10_000_000),
            MakerFeeBps = r.Decimal("maker_fee_bps", null),
            TakerFeeBps = r.Decimal("taker_fee_bps", null),
            RequestsPerSecond = r.Int("requests_per_second", d.RequestsPerSecond, 0, 1_000_000),
            MarketDataLevel3 = r.Bool("market_data_level3", d.MarketDataLevel3),
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static LatencyProfilingConfig BindLatency(SectionReader r, LatencyProfilingConfig d)
    {
        var c = new LatencyProfilingConfig
        {
            Enabled = r.Bool("enabled", d.Enabled),
            SampleRate = r.Double("sample_rate", d.SampleRate, 0.0, 1.0),
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static MonitoringConfig BindMonitoring(SectionReader r, MonitoringConfig d)
    {
        var c = new MonitoringConfig
        {
            MetricsPort = r.Int("metrics_port", d.MetricsPort, 1, 65_535),
            EnablePrometheus = r.Bool("enable_prometheus", d.EnablePrometheus),
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static ServerConfig BindServer(SectionReader r, ServerConfig d)
    {
        var c = new ServerConfig
        {
            HttpPort = r.Int("http_port", d.HttpPort, 0, 65_535),
            Bind = r.String("bind", d.Bind),
            MaxRequestBodyBytes = r.Int("max_request_body_bytes", d.MaxRequestBodyBytes, 1024, 64 * 1024 * 1024),
            AuditLog = r.String("audit_log", d.AuditLog),
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static AuthConfig BindAuth(SectionReader r, AuthConfig d)
    {
        var c = new AuthConfig
        {
            Enabled = r.Bool("enabled", d.Enabled),
            Issuer = r.String("issuer", d.Issuer),
            Audience = r.String("audience", d.Audience),
            Secret = r.StringOrNull("secret", d.Secret),
            RefreshTokenLifetimeSeconds = r.Int("refresh_token_lifetime_seconds", d.RefreshTokenLifetimeSeconds, 60, 90 * 86_400),
            KeyFile = r.StringOrNull("key_file", d.KeyFile),
            TokenLifetimeSeconds = r.Int("token_lifetime_seconds", d.TokenLifetimeSeconds, 60, 86_400),
            ApiKeys = r.TableArray("api_keys")?.Select(BindApiKey).ToList() ?? d.ApiKeys,
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static ApiKeyConfig BindApiKey(SectionReader r)
    {
        var c = new ApiKeyConfig
        {
            Sha256 = r.String("sha256", "", required: true).Trim().ToLowerInvariant(),
            Account = r.String("account", "", required: true),
            Role = r.String("role", new ApiKeyConfig().Role).Trim().ToLowerInvariant(),
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static JournalConfig BindJournal(SectionReader r, JournalConfig d)
    {
        var c = new JournalConfig
        {
            Dir = r.String("dir", d.Dir),
            Mode = r.String("mode", d.Mode).Trim().ToLowerInvariant(),
            SegmentMegabytes = r.Int("segment_megabytes", d.SegmentMegabytes, 1, 4096),
            FsyncIntervalMs = r.Int("fsync_interval_ms", d.FsyncIntervalMs, 1, 10_000),
            SnapshotIntervalSeconds = r.Int("snapshot_interval_seconds", d.SnapshotIntervalSeconds, 0, 86_400),
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static GatewayConfig BindGateway(SectionReader r, GatewayConfig d)
    {
        var c = new GatewayConfig
        {
            BinaryEnabled = r.Bool("binary_enabled", d.BinaryEnabled),
            BinaryPort = r.Int("binary_port", d.BinaryPort, 0, 65_535),
            BinaryMaxSessions = r.Int("binary_max_sessions", d.BinaryMaxSessions, 1, 10_000),
            BinaryHeartbeatMs = r.Int("binary_heartbeat_ms", d.BinaryHeartbeatMs, 100, 60_000),
            BinaryMaxMessagesPerSecond = r.Int("binary_max_messages_per_second", d.BinaryMaxMessagesPerSecond, 0, 100_000_000),
            FixEnabled = r.Bool("fix_enabled", d.FixEnabled),
            FixPort = r.Int("fix_port", d.FixPort, 0, 65_535),
            FixSessions = r.TableArray("fix_sessions")?.Select(BindFixSession).ToList() ?? d.FixSessions,
            FixStoreDir = r.String("fix_store_dir", d.FixStoreDir),
            FixSeqFsyncMs = r.Int("fix_seq_fsync_ms", d.FixSeqFsyncMs, 0, 60_000),
            FixHeartbeatMinSeconds = r.Int("fix_heartbeat_min_seconds", d.FixHeartbeatMinSeconds, 1, 3600),
            FixHeartbeatMaxSeconds = r.Int("fix_heartbeat_max_seconds", d.FixHeartbeatMaxSeconds, 1, 3600),
            FixMaxMessageBytes = r.Int("fix_max_message_bytes", d.FixMaxMessageBytes, 256, 1_048_576),
            FixResendStoreMessages = r.Int("fix_resend_store_messages", d.FixResendStoreMessages, 1, 10_000_000),
            FixMessagesPerSecond = r.Int("fix_messages_per_second", d.FixMessagesPerSecond, 0, 100_000_000),
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static FixSessionConfig BindFixSession(SectionReader r)
    {
        var c = new FixSessionConfig
        {
            SenderCompId = r.String("sender_comp_id", "", required: true),
            TargetCompId = r.String("target_comp_id", new FixSessionConfig().TargetCompId),
            Account = r.String("account", "", required: true),
            PasswordSha256 = r.String("password_sha256", "", required: true).Trim().ToLowerInvariant(),
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static RedisConfig BindRedis(SectionReader r, RedisConfig d)
    {
        var c = new RedisConfig
        {
            Connection = r.StringOrNull("connection", d.Connection),
            KeyPrefix = r.String("key_prefix", d.KeyPrefix),
            ConnectTimeoutMs = r.Int("connect_timeout_ms", d.ConnectTimeoutMs, 100, 60_000),
            CommandTimeoutMs = r.Int("command_timeout_ms", d.CommandTimeoutMs, 10, 10_000),
            ReconnectIntervalMs = r.Int("reconnect_interval_ms", d.ReconnectIntervalMs, 100, 60_000),
            RevocationSyncSeconds = r.Int("revocation_sync_seconds", d.RevocationSyncSeconds, 1, 3600),
            CacheTtlMs = r.Int("cache_ttl_ms", d.CacheTtlMs, 0, 60_000),
        };
        if (c.Connection is { Length: > 0 } connection && RedisConfig.ConnectionProblem(connection) is { } problem)
            throw r.Error("connection", problem);
        if (c.KeyPrefix.Length > 64 || c.KeyPrefix.Any(char.IsWhiteSpace))
            throw r.Error("key_prefix", "must be at most 64 characters without whitespace");
        r.RejectUnknownKeys();
        return c;
    }

    private static FeedConfig BindFeed(SectionReader r, FeedConfig d)
    {
        var c = new FeedConfig
        {
            Enabled = r.Bool("enabled", d.Enabled),
            Adapter = r.String("adapter", d.Adapter).Trim().ToLowerInvariant(),
            Url = r.StringOrNull("url", d.Url),
            Symbols = r.TableArray("symbols")?.Select(BindFeedSymbol).ToList() ?? d.Symbols,
            StalenessSeconds = r.Double("staleness_seconds", d.StalenessSeconds, 0.05, 3600),
            OnStale = r.String("on_stale", d.OnStale).Trim().ToLowerInvariant(),
            WidenFactor = r.Decimal("widen_factor", d.WidenFactor) ?? throw r.Error("widen_factor", "must not be empty"),
            MinMarkIntervalMs = r.Int("min_mark_interval_ms", d.MinMarkIntervalMs, 0, 3_600_000),
            MinMarkMoveTicks = r.Int("min_mark_move_ticks", d.MinMarkMoveTicks, 1, 1_000_000_000),
            MockSeed = r.Int("mock_seed", d.MockSeed, int.MinValue, int.MaxValue),
            MockVolatilityBps = r.Int("mock_volatility_bps", d.MockVolatilityBps, 0, 10_000),
            MockIntervalMs = r.Int("mock_interval_ms", d.MockIntervalMs, 1, 60_000),
            ReconnectMinMs = r.Int("reconnect_min_ms", d.ReconnectMinMs, 1, 600_000),
            ReconnectMaxMs = r.Int("reconnect_max_ms", d.ReconnectMaxMs, 1, 3_600_000),
        };
        r.RejectUnknownKeys();
        return c;
    }

    private static FeedSymbolConfig BindFeedSymbol(SectionReader r)
    {
        var symbol = r.String("symbol", "", required: true);
        r.AddEnvAlias(symbol);
        var c = new FeedSymbolConfig { Symbol = symbol, Product = r.String("product", "", required: true) };
        r.RejectUnknownKeys();
        return c;
    }

    private static ReplicationConfig BindReplication(SectionReader r, ReplicationConfig d)
    {
        var c = new ReplicationConfig
        {
            Enabled = r.Bool("enabled", d.Enabled),
            NodeId = r.Int("node_id", d.NodeId, -1, 63),
            Peers = r.StringList("peers", d.Peers),
            ApiUrls = r.StringList("api_urls", d.ApiUrls),
            Ack = r.String("ack", d.Ack),
            ElectionTimeoutMs = r.Int("election_timeout_ms", d.ElectionTimeoutMs, 50, 60_000),
            Dir = r.String("dir", d.Dir),
            Group = r.Int("group", d.Group, 0, 1023),
            MaxReadyLag = r.Int("max_ready_lag", d.MaxReadyLag, 1, 100_000_000),
        };
        if (c.Ack is not ("majority" or "leader")) throw r.Error("ack", $"must be \"majority\" or \"leader\", got \"{c.Ack}\"");
        foreach (var peer in c.Peers)
            if (ReplicationConfig.PeerProblem(peer) is { } problem) throw r.Error("peers", problem);
        foreach (var url in c.ApiUrls)
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                throw r.Error("api_urls", $"\"{url}\" is not an http(s) URL");
        r.RejectUnknownKeys();
        return c;
    }

    private static MarketDataConfig BindMarketData(SectionReader r, MarketDataConfig d)
    {
        var c = new MarketDataConfig
        {
            SendQueueLimit = r.Int("send_queue_limit", d.SendQueueLimit, 16, 1_000_000),
            MaxOverflows = r.Int("max_overflows", d.MaxOverflows, 1, 1000),
            UserQueueLimit = r.Int("user_queue_limit", d.UserQueueLimit, 16, 1_000_000),
            MaxSubscriptions = r.Int("max_subscriptions", d.MaxSubscriptions, 1, 100_000),
            MaxConnections = r.Int("max_connections", d.MaxConnections, 1, 1_000_000),
            HeartbeatSeconds = r.Int("heartbeat_seconds", d.HeartbeatSeconds, 1, 3600),
            DefaultConflateMs = r.Int("default_conflate_ms", d.DefaultConflateMs, 0, 60_000),
            MinConflateMs = r.Int("min_conflate_ms", d.MinConflateMs, 1, 60_000),
            EventQueueCapacity = r.Int("event_queue_capacity", d.EventQueueCapacity, 1024, 16_777_216),
            MaxMessageBytes = r.Int("max_message_bytes", d.MaxMessageBytes, 256, 1_048_576),
        };
        r.RejectUnknownKeys();
        return c;
    }
}
