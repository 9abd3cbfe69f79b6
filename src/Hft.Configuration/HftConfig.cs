namespace Hft.Configuration;

// The server's configuration, one record per TOML section. Keys are snake_case in TOML
// (e.g. [trading] max_orders_per_second) and overridable by HFT_<SECTION>__<KEY> environment variables.
// Defaults here are the embedded development defaults; config/*.toml profiles override them.
// Each section's file also holds how it is bound (Bind) and the rules on its own keys (Validate).

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

    public DrConfig Dr { get; init; } = new();

    public SecurityConfig Security { get; init; } = new();

    public TlsConfig Tls { get; init; } = new();

    public LoggingConfig Logging { get; init; } = new();
}
