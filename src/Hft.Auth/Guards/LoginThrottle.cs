using System.Net;
using Hft.Auth.Audit;
using Hft.Configuration;

namespace Hft.Auth.Guards;

/// <summary>
/// Failed-login throttling shared by every gateway that takes logins (binary, FIX, WebSocket, REST token and session
/// endpoints), and their audit lines. <c>[security] login_max_failures</c> failures of one account, or from one remote
/// address, within <c>login_failure_window_seconds</c> lock that account or address out of every gateway for
/// <c>login_lockout_seconds</c>: while locked out even the right secret is refused, so guessing gains nothing. A
/// successful login clears its account's failures (not its address's: one client cannot unlock an address others
/// are guessing from).
/// </summary>
public sealed class LoginThrottle
{
    private const int MaxTracked = 100_000;

    private readonly object _gate = new();
    private readonly Dictionary<string, Record> _records = new(StringComparer.Ordinal);
    private readonly SecurityConfig _config;
    private readonly AuditLog? _audit;
    private readonly TimeProvider _clock;

    /// <param name="audit">Where failures and lockouts are written (null: not audited, tests only).</param>
    public LoginThrottle(SecurityConfig config, AuditLog? audit, TimeProvider? clock = null)
    {
        _config = config;
        _audit = audit;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// Asks before checking a login's secret: false (and how long to wait) while the account or the address is locked
    /// out. A refusal is audited as <c>&lt;channel&gt;.login_locked</c>.
    /// </summary>
    public bool MayTry(string channel, string? account, IPAddress? remote, out TimeSpan retryAfter)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            retryAfter = Max(LockedFor(AccountKey(account), now), LockedFor(AddressKey(remote), now));
        }
        if (retryAfter <= TimeSpan.Zero) return true;
        _audit?.Write(account ?? AuditLog.Anonymous, channel + ".login_locked", account ?? "", "refused", Text(remote),
            $"locked out for {Math.Ceiling(retryAfter.TotalSeconds)} s more after repeated failed logins");
        return false;
    }

    /// <summary>A login failed (wrong secret, unknown or disabled account): audited as <c>&lt;channel&gt;.login_failed</c>; may start a lockout.</summary>
    public void Failed(string channel, string? account, IPAddress? remote, string reason)
    {
        var now = _clock.GetUtcNow();
        bool lockedAccount, lockedAddress;
        lock (_gate)
        {
            if (_records.Count >= MaxTracked) Prune(now);
            lockedAccount = Count(AccountKey(account), now);
            lockedAddress = Count(AddressKey(remote), now);
        }
        _audit?.Write(account ?? AuditLog.Anonymous, channel + ".login_failed", account ?? "", "refused", Text(remote), reason);
        if (lockedAccount || lockedAddress)
            _audit?.Write(account ?? AuditLog.Anonymous, "auth.lockout", lockedAccount ? account! : Text(remote) ?? "", "locked",
                Text(remote), $"{_config.LoginMaxFailures} failed logins within {_config.LoginFailureWindowSeconds} s: " +
                $"{(lockedAccount ? "account" : "address")} refused on every gateway for {_config.LoginLockoutSeconds} s", durable: true);
    }

    /// <summary>A login succeeded: its account's failure count starts over.</summary>
    public void Succeeded(string account)
    {
        lock (_gate) _records.Remove(AccountKey(account)!);
    }

    private static string? AccountKey(string? account) => string.IsNullOrEmpty(account) ? null : "a:" + account;

    private static string? AddressKey(IPAddress? remote) => remote is null ? null : "r:" + (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    private static string? Text(IPAddress? remote) => remote?.ToString();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private TimeSpan LockedFor(string? key, DateTimeOffset now)
        => key is not null && _records.TryGetValue(key, out var r) && r.LockedUntil > now ? r.LockedUntil - now : TimeSpan.Zero;

    /// <summary>Counts one failure of <paramref name="key"/>; true when it starts a lockout.</summary>
    private bool Count(string? key, DateTimeOffset now)
    {
        if (key is null) return false;
        if (!_records.TryGetValue(key, out var r))
        {
            r = new Record();
            _records[key] = r;
        }
        if (now - r.WindowStart > TimeSpan.FromSeconds(_config.LoginFailureWindowSeconds))
        {
            r.WindowStart = now;
            r.Failures = 0;
        }
        r.Failures++;
        if (r.Failures < _config.LoginMaxFailures || r.LockedUntil > now) return false;
        r.LockedUntil = now + TimeSpan.FromSeconds(_config.LoginLockoutSeconds);
        r.Failures = 0;
        r.WindowStart = now;
        return true;
    }

    private void Prune(DateTimeOffset now)
    {
        var window = TimeSpan.FromSeconds(_config.LoginFailureWindowSeconds);
        foreach (var (key, r) in _records)
            if (r.LockedUntil <= now && now - r.WindowStart > window) _records.Remove(key);
        if (_records.Count >= MaxTracked) _records.Clear(); // still full: a flood from many addresses; start over
    }

    private sealed class Record
    {
        public DateTimeOffset WindowStart;
        public int Failures;
        public DateTimeOffset LockedUntil;
    }
}
