using Tomlyn.Model;

namespace Hft.Configuration;

/// <summary>
/// Maps a parsed TOML document (plus HFT_* environment overrides) onto <see cref="HftConfig"/>, section by section:
/// each section's Bind (in its record's file) reads its keys with their types and ranges; absent keys keep the record
/// defaults, and keys no Bind reads are refused. Rules across keys are checked afterwards (<see cref="ConfigValidator"/>).
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
            System = root.BindTable("system", defaults.System, SystemConfig.Bind),
            Trading = root.BindTable("trading", defaults.Trading, TradingConfig.Bind),
            Risk = root.BindTable("risk", defaults.Risk, RiskConfig.Bind),
            Accounts = root.BindTableArray("accounts", defaults.Accounts, AccountConfig.Bind),
            LatencyProfiling = root.BindTable("latency_profiling", defaults.LatencyProfiling, LatencyProfilingConfig.Bind),
            Monitoring = root.BindTable("monitoring", defaults.Monitoring, MonitoringConfig.Bind),
            Server = root.BindTable("server", defaults.Server, ServerConfig.BindSection),
            Auth = root.BindTable("auth", defaults.Auth, AuthConfig.Bind),
            Journal = root.BindTable("journal", defaults.Journal, JournalConfig.Bind),
            Redis = root.BindTable("redis", defaults.Redis, RedisConfig.Bind),
            Feed = root.BindTable("feed", defaults.Feed, FeedConfig.Bind),
            Gateway = root.BindTable("gateway", defaults.Gateway, GatewayConfig.Bind),
            MarketData = root.BindTable("market_data", defaults.MarketData, MarketDataConfig.Bind),
            Replication = root.BindTable("replication", defaults.Replication, ReplicationConfig.Bind),
            Dr = root.BindTable("dr", defaults.Dr, DrConfig.Bind),
            Security = root.BindTable("security", defaults.Security, SecurityConfig.Bind),
            Tls = root.BindTable("tls", defaults.Tls, TlsConfig.Bind),
            Logging = root.BindTable("logging", defaults.Logging, LoggingConfig.Bind),
        };
        root.RejectUnknownKeys();

        foreach (var unused in ctx.Environment.Unused)
            throw new ConfigException(ctx.File, null, unused.Name,
                "environment override matches no known key (HFT_<SECTION>__<KEY>; array elements by index or id, e.g. HFT_ACCOUNTS__A1__CREDIT)");
        return config;
    }
}
