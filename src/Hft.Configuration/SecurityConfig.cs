namespace Hft.Configuration;

/// <summary>
/// [security]: what any client may cost before it has proven who it is, and how failed logins are throttled. The same
/// limits apply to every listener that takes logins (binary, FIX, WebSocket, <c>/api/v1/auth/*</c>).
/// </summary>
public sealed record SecurityConfig
{
    /// <summary>Open connections one remote address may hold on one listener; more are refused when accepted.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 32;

    /// <summary>Connections of one listener that have not logged on yet; more are refused when accepted.</summary>
    public int MaxUnauthenticated { get; init; } = 256;

    /// <summary>A connection that has not logged on within this many seconds is closed.</summary>
    public int LoginTimeoutSeconds { get; init; } = 5;

    /// <summary>Failed logins of one account, or from one address, within <see cref="LoginFailureWindowSeconds"/> that lock it out.</summary>
    public int LoginMaxFailures { get; init; } = 5;

    public int LoginFailureWindowSeconds { get; init; } = 60;

    /// <summary>How long a locked-out account or address is refused on every gateway (even with the right secret).</summary>
    public int LoginLockoutSeconds { get; init; } = 60;

    /// <summary>
    /// Audit lines per remote address and second for events anyone can cause (failed logins, 401s); the rest are
    /// counted and written as one summary line. Admin actions are never dropped.
    /// </summary>
    public int AuditLinesPerSecond { get; init; } = 20;

    internal static SecurityConfig Bind(SectionReader r, SecurityConfig defaults) => new()
    {
        MaxConnectionsPerAddress = r.Int("max_connections_per_address", defaults.MaxConnectionsPerAddress, 1, 1_000_000),
        MaxUnauthenticated = r.Int("max_unauthenticated", defaults.MaxUnauthenticated, 1, 1_000_000),
        LoginTimeoutSeconds = r.Int("login_timeout_seconds", defaults.LoginTimeoutSeconds, 1, 300),
        LoginMaxFailures = r.Int("login_max_failures", defaults.LoginMaxFailures, 1, 1000),
        LoginFailureWindowSeconds = r.Int("login_failure_window_seconds", defaults.LoginFailureWindowSeconds, 1, 86_400),
        LoginLockoutSeconds = r.Int("login_lockout_seconds", defaults.LoginLockoutSeconds, 1, 86_400),
        AuditLinesPerSecond = r.Int("audit_lines_per_second", defaults.AuditLinesPerSecond, 1, 100_000),
    };
}
