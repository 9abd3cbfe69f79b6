namespace Hft.Configuration;

// The server's configuration, one record per TOML section. Keys are snake_case in TOML
// (e.g. [trading] max_orders_per_second) and overridable by HFT_<SECTION>__<KEY> environment variables.
// Defaults here are the embedded development defaults; config/*.toml profiles override them.

public sealed record HftConfig
{
    /// <summary>Profile name (development, staging, production).</summary>
    public string Profile { get; init; } = "development";

    /// <summary>File the profile was read from (null when embedded defaults only).</summary>
    public string? SourceFile { get; init; }

    public SystemConfig System { get; init; } = new();
    public TradingConfig Trading { get; init; } = new();
    public RiskConfig Risk { get; init; } = new();
    public IReadOnlyList<AccountConfig> Accounts { get; init; } = [];
    public LatencyProfilingConfig LatencyProfiling { get; init; } = new();
    public MonitoringConfig Monitoring { get; init; } = new();
    public ServerConfig Server { get; init; } = new();
    public AuthConfig Auth { get; init; } = new();
    public JournalConfig Journal { get; init; } = new();
    public RedisConfig Redis { get; init; } = new();
    public FeedConfig Feed { get; init; } = new();
    public GatewayConfig Gateway { get; init; } = new();
    public MarketDataConfig MarketData { get; init; } = new();

    public ReplicationConfig Replication { get; init; } = new();
}

public sealed record SystemConfig
{
    /// <summary>Matching shards (single-writer threads); symbols are spread over them. 1..64.</summary>
    public int MaxWorkers { get; init; } = 2;

    /// <summary>Capacity of each shard's bounded command ring (rounded up to a power of two). 16..16,777,216.</summary>
    public int WorkerQueueSize { get; init; } = 65_536;

    /// <summary>Pin shard threads to CPUs (shard i on CPU i mod cores) where the OS allows it.</summary>
    public bool CpuAffinity { get; init; }

    /// <summary>
    /// How an idle shard thread waits for work: <c>backoff</c> (spin briefly, yield, then park until woken: leaves the
    /// core to the gateways; for small machines) or <c>busy_spin</c> (never parks: lowest latency, one core per shard).
    /// </summary>
    public string IdleStrategy { get; init; } = "backoff";

    /// <summary>
    /// A gateway thread that submits a command processes its shard itself (risk, match, journal write) and sends the
    /// reply, when no other thread is processing that shard: no thread hand-off on the order path. Off: every command
    /// goes through the shard's own thread (with <c>busy_spin</c> and pinned cores, the choice for large machines).
    /// </summary>
    public bool RunToCompletion { get; init; } = true;

    /// <summary>Seconds a graceful shutdown may take to drain queues before the process exits.</summary>
    public int ShutdownTimeoutSeconds { get; init; } = 10;
}

public sealed record TradingConfig
{
    /// <summary>Global order admission throttle (orders/s across all gateways); 0 = unlimited.</summary>
    public int MaxOrdersPerSecond { get; init; } = 100_000;

    /// <summary>Symbols open for trading; each must have an instrument definition.</summary>
    public IReadOnlyList<string> EnabledSymbols { get; init; } = ["BTCUSD", "ETHUSD"];

    public IReadOnlyList<InstrumentConfig> Instruments { get; init; } =
    [
        new() { Symbol = "BTCUSD", Tick = "0.01", Lot = "0.0001", PriceBandPct = "10" },
        new() { Symbol = "ETHUSD", Tick = "0.01", Lot = "0.001", PriceBandPct = "10" },
    ];
}

public sealed record InstrumentConfig
{
    public string Symbol { get; init; } = "";
    public string Tick { get; init; } = "0.01";
    public string Lot { get; init; } = "1";

    /// <summary>Price band in percent around the reference price; null = none.</summary>
    public string? PriceBandPct { get; init; }

    /// <summary>Initial mark price (decimal text); null = none until the first trade.</summary>
    public string? MarkPrice { get; init; }
}

/// <summary>Default limits for accounts that do not set their own (decimal text; null = unlimited).</summary>
public sealed record RiskConfig
{
    public string? Credit { get; init; }
    public string? MaxOrderQty { get; init; }
    public string? MaxOrderNotional { get; init; }
    public string? MaxPosition { get; init; }
    public int? MaxOpenOrders { get; init; }
    public string MakerFeeBps { get; init; } = "0";
    public string TakerFeeBps { get; init; } = "0";
}

public sealed record AccountConfig
{
    public string Id { get; init; } = "";
    public bool Enabled { get; init; } = true;
    public string? Credit { get; init; }
    public string? MaxOrderQty { get; init; }
    public string? MaxOrderNotional { get; init; }
    public string? MaxPosition { get; init; }
    public int? MaxOpenOrders { get; init; }
    public string? MakerFeeBps { get; init; }
    public string? TakerFeeBps { get; init; }

    /// <summary>Per-account REST request limit (requests/s); 0 = unlimited.</summary>
    public int RequestsPerSecond { get; init; } = 1000;

    /// <summary>Entitled to the order-by-order WebSocket channel <c>level3</c> (admins always are).</summary>
    public bool MarketDataLevel3 { get; init; }
}

public sealed record LatencyProfilingConfig
{
    public bool Enabled { get; init; } = true;

    /// <summary>Share of orders whose per-stage latency is recorded, 0..1.</summary>
    public double SampleRate { get; init; } = 1.0;
}

public sealed record MonitoringConfig
{
    /// <summary>Port of /metrics, /health, /ready, /debug (and the API unless [server] http_port differs).</summary>
    public int MetricsPort { get; init; } = 8080;

    public bool EnablePrometheus { get; init; } = true;
}

public sealed record ServerConfig
{
    /// <summary>API port; 0 or equal to metrics_port = share the metrics port.</summary>
    public int HttpPort { get; init; }

    /// <summary>Address to bind (127.0.0.1 in development, 0.0.0.0 in containers).</summary>
    public string Bind { get; init; } = "127.0.0.1";

    /// <summary>Largest accepted request body in bytes.</summary>
    public int MaxRequestBodyBytes { get; init; } = 16 * 1024;

    /// <summary>Audit log file (JSON lines).</summary>
    public string AuditLog { get; init; } = "data/audit.log";
}

public sealed record AuthConfig
{
    /// <summary>False only in development; production refuses to start with auth disabled.</summary>
    public bool Enabled { get; init; } = true;

    public string Issuer { get; init; } = "hft";
    public string Audience { get; init; } = "hft-api";

    /// <summary>HS256 secret (at least 32 bytes). Development uses <see cref="DevelopmentSecret"/>, refused in production.</summary>
    public string? Secret { get; init; }

    /// <summary>PEM file with an RSA key for RS256 (private key to mint, public key enough to verify).</summary>
    public string? KeyFile { get; init; }

    public int TokenLifetimeSeconds { get; init; } = 900;

    /// <summary>How long a session (its refresh token chain) lives from login; refresh rotates the token, not this.</summary>
    public int RefreshTokenLifetimeSeconds { get; init; } = 86_400;

    public IReadOnlyList<ApiKeyConfig> ApiKeys { get; init; } = [];

    public const string DevelopmentSecret = "hft-development-secret-do-not-use-in-production-0123456789";

    /// <summary>True when <see cref="Secret"/> is the well-known <see cref="DevelopmentSecret"/> (log it loudly; production refuses it).</summary>
    public bool IsDevelopmentSecret => Secret == DevelopmentSecret;

    // Keeps the secret out of ToString() (and so out of logs that print the configuration).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Enabled = {Enabled}, Issuer = {Issuer}, Audience = {Audience}, ");
        builder.Append($"Secret = {(Secret is null ? "null" : IsDevelopmentSecret ? "<development secret>" : "<redacted>")}, ");
        builder.Append($"KeyFile = {KeyFile ?? "null"}, TokenLifetimeSeconds = {TokenLifetimeSeconds}, ApiKeys = {ApiKeys.Count}");
        return true;
    }
}

/// <summary>An API key, stored as the SHA-256 hex of the key, with the account and role it grants.</summary>
public sealed record ApiKeyConfig
{
    public string Sha256 { get; init; } = "";
    public string Account { get; init; } = "";
    public string Role { get; init; } = "trader";
}

public sealed record JournalConfig
{
    public string Dir { get; init; } = "data";

    /// <summary>sync | async | none.</summary>
    public string Mode { get; init; } = "none";

    /// <summary>A journal segment rolls over at this size (MiB).</summary>
    public int SegmentMegabytes { get; init; } = 64;

    /// <summary>Async mode: the journal is fsynced at least this often (the documented loss window).</summary>
    public int FsyncIntervalMs { get; init; } = 10;

    /// <summary>Start-up only (<c>hft serve --repair</c>): cut a corrupt journal at the first bad record instead of refusing to start.</summary>
    public bool Repair { get; init; }

    /// <summary>Seconds between periodic snapshots; 0 = only on shutdown and by admin command.</summary>
    public int SnapshotIntervalSeconds { get; init; } = 300;
}
