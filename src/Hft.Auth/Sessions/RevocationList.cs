using System.Collections.Concurrent;

namespace Hft.Auth.Sessions;

/// <summary>
/// This process's copy of the revocation list, which every authenticated request is checked against (a dictionary
/// lookup, no I/O): revoked session ids, each kept until the last access token it can have issued has expired, and per
/// account a cutoff - tokens of that account issued at or before it are refused. The Redis store keeps it in step with
/// the shared list (pub/sub and periodic re-reads); entries are only added or expire, never dropped because Redis is
/// away, so an outage cannot make a revoked token valid again.
/// </summary>
public sealed class RevocationList
{
    private readonly ConcurrentDictionary<string, long> _sessions = new(StringComparer.Ordinal); // sid -> expiry (unix ms)
    private readonly ConcurrentDictionary<string, long> _accounts = new(StringComparer.Ordinal); // account -> cutoff (unix s)
    private readonly TimeProvider _time;

    public RevocationList(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public int SessionCount => _sessions.Count;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void RevokeSession(string sessionId, long expiresUnixMs)
        => _sessions.AddOrUpdate(sessionId, expiresUnixMs, (_, old) => Math.Max(old, expiresUnixMs));

    public void RevokeAccount(string account, long cutoffUnixSeconds)
        => _accounts.AddOrUpdate(account, cutoffUnixSeconds, (_, old) => Math.Max(old, cutoffUnixSeconds));

    public bool IsSessionRevoked(string sessionId) => _sessions.TryGetValue(sessionId, out long until) && until > NowMs;

    public bool IsRevoked(string? sessionId, string account, DateTimeOffset issuedAt)
    {
        if (sessionId is not null && IsSessionRevoked(sessionId)) return true;
        return _accounts.TryGetValue(account, out long cutoff) && issuedAt.ToUnixTimeSeconds() <= cutoff;
    }

    /// <summary>Drops session entries whose tokens have all expired.</summary>
    public void Prune()
    {
        long now = NowMs;
        foreach (var (sid, until) in _sessions)
            if (until <= now) _sessions.TryRemove(new KeyValuePair<string, long>(sid, until));
    }

    public List<KeyValuePair<string, long>> Sessions() => _sessions.ToList();

    public List<KeyValuePair<string, long>> Accounts() => _accounts.ToList();
}
