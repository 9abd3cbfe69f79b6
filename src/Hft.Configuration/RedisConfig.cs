namespace Hft.Configuration;

/// <summary>
/// <c>[redis]</c>: optional shared store for sessions, the revocation list and the public market-data cache. Without
/// <see cref="Connection"/> the same interfaces are served from memory (one process, nothing else to run).
/// </summary>
public sealed record RedisConfig
{
    /// <summary>StackExchange.Redis connection string (e.g. <c>redis:6379</c>); unset = in-memory, no Redis.</summary>
    public string? Connection { get; init; }

    /// <summary>Prefix of every key and channel, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; init; } = "hft:";

    /// <summary>Time one connection attempt may take (the server never waits for it at start-up).</summary>
    public int ConnectTimeoutMs { get; init; } = 2000;

    /// <summary>Time one Redis command may take before it counts as failed and the caller falls back.</summary>
    public int CommandTimeoutMs { get; init; } = 250;

    /// <summary>Pause between reconnect attempts while Redis is unreachable.</summary>
    public int ReconnectIntervalMs { get; init; } = 1000;

    /// <summary>The local copy of the revocation list is re-read from Redis this often (pub/sub brings changes sooner).</summary>
    public int RevocationSyncSeconds { get; init; } = 5;

    /// <summary>Lifetime of cached L2 snapshots and tickers served by the public REST endpoints; 0 = no caching.</summary>
    public int CacheTtlMs { get; init; } = 500;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Connection);

    /// <summary>Why <paramref name="connection"/> is not a StackExchange.Redis connection string, or null.</summary>
    public static string? ConnectionProblem(string connection)
    {
        try
        {
            var options = StackExchange.Redis.ConfigurationOptions.Parse(connection);
            return options.EndPoints.Count == 0 ? "names no endpoint (host:port)" : null;
        }
        catch (ArgumentException e)
        {
            return "not a valid connection string: " + e.Message;
        }
    }

    internal static RedisConfig Bind(SectionReader r, RedisConfig defaults)
    {
        var c = new RedisConfig
        {
            Connection = r.StringOrNull("connection", defaults.Connection),
            KeyPrefix = r.String("key_prefix", defaults.KeyPrefix),
            ConnectTimeoutMs = r.Int("connect_timeout_ms", defaults.ConnectTimeoutMs, 100, 60_000),
            CommandTimeoutMs = r.Int("command_timeout_ms", defaults.CommandTimeoutMs, 10, 10_000),
            ReconnectIntervalMs = r.Int("reconnect_interval_ms", defaults.ReconnectIntervalMs, 100, 60_000),
            RevocationSyncSeconds = r.Int("revocation_sync_seconds", defaults.RevocationSyncSeconds, 1, 3600),
            CacheTtlMs = r.Int("cache_ttl_ms", defaults.CacheTtlMs, 0, 60_000),
        };
        if (c.Connection is { Length: > 0 } connection && ConnectionProblem(connection) is { } problem)
            throw r.Error("connection", problem);
        if (c.KeyPrefix.Length > 64 || c.KeyPrefix.Any(char.IsWhiteSpace))
            throw r.Error("key_prefix", "must be at most 64 characters without whitespace");
        return c;
    }
}
