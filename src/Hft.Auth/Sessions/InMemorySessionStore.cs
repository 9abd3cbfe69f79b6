namespace Hft.Auth.Sessions;

/// <summary>
/// Sessions in this process's memory (no <c>[redis] connection</c>): the development default, one replica only.
/// Bounded: expired sessions are swept as new ones are created.
/// </summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private sealed class State(string account, string role, string current, DateTimeOffset expires)
    {
        public string Account { get; } = account;
        public string Role { get; } = role;
        public string Current { get; set; } = current;
        public HashSet<string> Spent { get; } = new(StringComparer.Ordinal);
        public DateTimeOffset Expires { get; } = expires;
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, State> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<string>> _byAccount = new(StringComparer.Ordinal); // session ids in login order
    private readonly SessionLifetimes _lifetimes;
    private readonly TimeProvider _time;
    private int _createdSinceSweep;

    public InMemorySessionStore(SessionLifetimes lifetimes, RevocationList? revocations = null, TimeProvider? time = null)
    {
        _lifetimes = lifetimes;
        _time = time ?? TimeProvider.System;
        Revocations = revocations ?? new RevocationList(_time);
    }

    public RevocationList Revocations { get; }

    public int Count
    {
        get
        {
            lock (_gate) return _sessions.Count;
        }
    }

    public Task<SessionGrant?> CreateAsync(string account, string role, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        string sid = RefreshToken.NewSessionId();
        string token = RefreshToken.New(sid);
        var expires = now + _lifetimes.Session;
        long until = (now + _lifetimes.RevocationRetention).ToUnixTimeMilliseconds();
        lock (_gate)
        {
            if (++_createdSinceSweep >= 1024) Sweep(now);
            _sessions[sid] = new State(account, role, RefreshToken.Hash(token), expires);
            if (!_byAccount.TryGetValue(account, out var logins)) _byAccount[account] = logins = new Queue<string>();
            logins.Enqueue(sid);
            while (logins.Count > _lifetimes.MaxPerAccount)
            {
                string oldest = logins.Dequeue();
                if (_sessions.Remove(oldest)) Revocations.RevokeSession(oldest, until);
            }
        }
        return Task.FromResult<SessionGrant?>(new SessionGrant(sid, token, expires));
    }

    public Task<RefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshToken.TryParse(refreshToken, out var sid) || Revocations.IsSessionRevoked(sid))
            return Task.FromResult(new RefreshResult(RefreshStatus.Invalid));
        string hash = RefreshToken.Hash(refreshToken);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_sessions.TryGetValue(sid, out var s)) return Task.FromResult(new RefreshResult(RefreshStatus.Invalid));
            if (s.Expires <= now)
            {
                _sessions.Remove(sid);
                return Task.FromResult(new RefreshResult(RefreshStatus.Invalid));
            }
            if (s.Current == hash)
            {
                string next = RefreshToken.New(sid);
                s.Spent.Add(hash);
                s.Current = RefreshToken.Hash(next);
                return Task.FromResult(new RefreshResult(RefreshStatus.Rotated, new SessionGrant(sid, next, s.Expires), s.Account, s.Role));
            }
            if (!s.Spent.Contains(hash)) return Task.FromResult(new RefreshResult(RefreshStatus.Invalid));
            _sessions.Remove(sid);
            Revocations.RevokeSession(sid, (now + _lifetimes.RevocationRetention).ToUnixTimeMilliseconds());
            return Task.FromResult(new RefreshResult(RefreshStatus.Reused, null, s.Account, s.Role));
        }
    }

    public Task<bool> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        bool known;
        lock (_gate) known = _sessions.Remove(sessionId);
        Revocations.RevokeSession(sessionId, (_time.GetUtcNow() + _lifetimes.RevocationRetention).ToUnixTimeMilliseconds());
        return Task.FromResult(known);
    }

    public Task<int> RevokeAccountAsync(string account, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        long until = (now + _lifetimes.RevocationRetention).ToUnixTimeMilliseconds();
        var ended = new List<string>();
        lock (_gate)
        {
            foreach (var (sid, s) in _sessions)
                if (s.Account == account) ended.Add(sid);
            foreach (var sid in ended) _sessions.Remove(sid);
            _byAccount.Remove(account);
        }
        foreach (var sid in ended) Revocations.RevokeSession(sid, until);
        Revocations.RevokeAccount(account, now.ToUnixTimeSeconds());
        return Task.FromResult(ended.Count);
    }

    public bool IsRevoked(string? sessionId, string account, DateTimeOffset issuedAt) => Revocations.IsRevoked(sessionId, account, issuedAt);

    private void Sweep(DateTimeOffset now)
    {
        _createdSinceSweep = 0;
        var expired = new List<string>();
        foreach (var (sid, s) in _sessions)
            if (s.Expires <= now) expired.Add(sid);
        foreach (var sid in expired) _sessions.Remove(sid);
        var idle = new List<string>();
        foreach (var (account, logins) in _byAccount)
        {
            while (logins.Count > 0 && !_sessions.ContainsKey(logins.Peek())) logins.Dequeue();
            if (logins.Count == 0) idle.Add(account);
        }
        foreach (var account in idle) _byAccount.Remove(account);
        Revocations.Prune();
    }
}
