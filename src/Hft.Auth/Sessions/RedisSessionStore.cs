using System.Globalization;
using Hft.Auth.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hft.Auth.Sessions;

/// <summary>
/// Sessions shared by every replica through Redis (keys under <c>[redis] key_prefix</c>):
/// <list type="bullet">
/// <item><c>session:{sid}</c> hash (account, role, current refresh hash, expiry), expiring with the session, and
/// <c>session:{sid}:spent</c>, the hashes already rotated away (presenting one again revokes the session);</item>
/// <item><c>account:{account}:sessions</c>, the account's session ids by login time (admin revoke, and the bound of
/// <see cref="SessionLifetimes.MaxPerAccount"/> sessions per account);</item>
/// <item><c>revoked:sessions</c> sorted set (sid scored by the time its last access token expires) and
/// <c>revoked:accounts</c> hash (account → cutoff, unix seconds), announced on the <c>revocations</c> channel.</item>
/// </list>
/// Access tokens are checked against the local <see cref="RevocationList"/> only; it follows Redis by pub/sub and a
/// re-read every <c>revocation_sync_seconds</c>. Revocations are applied locally first, so they hold on this replica even
/// while Redis is away, and every local entry is written back to Redis when it returns (it may have restarted empty).
/// Refresh and login need Redis: while it is away refresh answers <see cref="RefreshStatus.Unavailable"/> (deny-safe).
/// </summary>
public sealed class RedisSessionStore : ISessionStore, IHostedService
{
    private const string RefreshScript = """
        if redis.call('ZSCORE', KEYS[3], ARGV[4]) then return {'invalid'} end
        local s = redis.call('HMGET', KEYS[1], 'account', 'role', 'current', 'expires')
        if not s[1] then return {'invalid'} end
        if tonumber(s[4]) <= tonumber(ARGV[3]) then redis.call('DEL', KEYS[1], KEYS[2]) return {'invalid'} end
        if s[3] == ARGV[1] then
          redis.call('HSET', KEYS[1], 'current', ARGV[2])
          redis.call('SADD', KEYS[2], ARGV[1])
          redis.call('PEXPIREAT', KEYS[2], s[4])
          return {'rotated', s[1], s[2], s[4]}
        end
        if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
          redis.call('DEL', KEYS[1], KEYS[2])
          redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
          return {'reused', s[1], s[2]}
        end
        return {'invalid'}
        """;

    // Also keeps the account's logins (a sorted set by login time) to the newest ARGV[7]: older sessions are revoked
    // here and returned, so the caller announces them. (Builds session keys from ARGV[8]: one Redis, not a cluster.)
    private const string CreateScript = """
        redis.call('HSET', KEYS[1], 'account', ARGV[1], 'role', ARGV[2], 'current', ARGV[3], 'expires', ARGV[4])
        redis.call('PEXPIREAT', KEYS[1], ARGV[4])
        redis.call('ZADD', KEYS[2], ARGV[6], ARGV[5])
        redis.call('PEXPIREAT', KEYS[2], ARGV[4])
        local evicted = {}
        local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[7])
        if excess > 0 then
          local old = redis.call('ZPOPMIN', KEYS[2], excess)
          for i = 1, #old, 2 do
            redis.call('DEL', ARGV[8] .. old[i], ARGV[8] .. old[i] .. ':spent')
            redis.call('ZADD', KEYS[3], ARGV[9], old[i])
            table.insert(evicted, old[i])
          end
        end
        return evicted
        """;

    // Revoking deletes the session, records the id and leaves the account's set (members of expired sessions are
    // harmless: revoking them again is a no-op).
    private const string RevokeScript = """
        local account = redis.call('HGET', KEYS[1], 'account')
        redis.call('DEL', KEYS[1], KEYS[2])
        local old = redis.call('ZSCORE', KEYS[3], ARGV[1])
        if (not old) or tonumber(old) < tonumber(ARGV[2]) then redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1]) end
        if account then return 1 end
        return 0
        """;

    private const string CutoffScript = """
        local old = redis.call('HGET', KEYS[1], ARGV[1])
        if (not old) or tonumber(old) < tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
        return 1
        """;

    private readonly RedisConnection _redis;
    private readonly SessionLifetimes _lifetimes;
    private readonly TimeSpan _syncInterval;
    private readonly ILogger _log;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly CancellationTokenSource _stop = new();
    private readonly RedisKey _revokedSessions, _revokedAccounts;
    private readonly RedisChannel _channel;
    private Task? _loop;
    private int _syncedEpoch;
    private volatile bool _dirty;
    private bool _subscribed;

    public RedisSessionStore(RedisConnection redis, SessionLifetimes lifetimes, TimeSpan syncInterval, ILogger log)
    {
        _redis = redis;
        _lifetimes = lifetimes;
        _syncInterval = syncInterval;
        _log = log;
        _revokedSessions = redis.KeyPrefix + "revoked:sessions";
        _revokedAccounts = redis.KeyPrefix + "revoked:accounts";
        _channel = RedisChannel.Literal(redis.KeyPrefix + "revocations");
    }

    public RevocationList Revocations { get; } = new();

    private RedisKey SessionKey(string sid) => _redis.KeyPrefix + "session:" + sid;

    private RedisKey SpentKey(string sid) => _redis.KeyPrefix + "session:" + sid + ":spent";

    private RedisKey AccountKey(string account) => _redis.KeyPrefix + "account:" + account + ":sessions";

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private long RevokedUntilMs => NowMs + (long)_lifetimes.RevocationRetention.TotalMilliseconds;

    public async Task<SessionGrant?> CreateAsync(string account, string role, CancellationToken cancellationToken = default)
    {
        if (!_redis.IsUp || _redis.Database is not { } db) return null;
        string sid = RefreshToken.NewSessionId();
        string token = RefreshToken.New(sid);
        var expires = _time.GetUtcNow() + _lifetimes.Session;
        long expiresMs = expires.ToUnixTimeMilliseconds();
        long until = RevokedUntilMs;
        try
        {
            var evicted = (RedisResult[])(await db.ScriptEvaluateAsync(CreateScript, [SessionKey(sid), AccountKey(account), _revokedSessions],
                [account, role, RefreshToken.Hash(token), expiresMs, sid, NowMs, _lifetimes.MaxPerAccount, _redis.KeyPrefix + "session:", until])
                .WaitAsync(_redis.CommandTimeout, cancellationToken))!;
            foreach (var old in evicted)
            {
                string oldSid = (string)old!;
                Revocations.RevokeSession(oldSid, until);
                await PublishAsync(db, $"s|{oldSid}|{until}");
            }
            return new SessionGrant(sid, token, expires);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            _redis.ReportFailure(e);
            return null;
        }
    }

    public async Task<RefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        if (!RefreshToken.TryParse(refreshToken, out var sid) || Revocations.IsSessionRevoked(sid)) return new RefreshResult(RefreshStatus.Invalid);
        if (!_redis.IsUp || _redis.Database is not { } db) return new RefreshResult(RefreshStatus.Unavailable);
        string next = RefreshToken.New(sid);
        long until = RevokedUntilMs;
        RedisResult result;
        try
        {
            result = await db.ScriptEvaluateAsync(RefreshScript, [SessionKey(sid), SpentKey(sid), _revokedSessions],
                [RefreshToken.Hash(refreshToken), RefreshToken.Hash(next), NowMs, sid, until]).WaitAsync(_redis.CommandTimeout, cancellationToken);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            _redis.ReportFailure(e);
            return new RefreshResult(RefreshStatus.Unavailable);
        }
        var parts = (RedisResult[])result!;
        switch ((string?)parts[0])
        {
            case "rotated":
                var expires = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)parts[3]!, CultureInfo.InvariantCulture));
                return new RefreshResult(RefreshStatus.Rotated, new SessionGrant(sid, next, expires), (string)parts[1]!, (string)parts[2]!);
            case "reused":
                Revocations.RevokeSession(sid, until);
                await PublishAsync(db, $"s|{sid}|{until}");
                return new RefreshResult(RefreshStatus.Reused, null, (string)parts[1]!, (string)parts[2]!);
            default:
                return new RefreshResult(RefreshStatus.Invalid);
        }
    }

    public async Task<bool> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        long until = RevokedUntilMs;
        Revocations.RevokeSession(sessionId, until); // first: it holds here whatever Redis does
        if (!_redis.IsUp || _redis.Database is not { } db)
        {
            _dirty = true;
            return false;
        }
        try
        {
            var known = await db.ScriptEvaluateAsync(RevokeScript, [SessionKey(sessionId), SpentKey(sessionId), _revokedSessions], [sessionId, until])
                .WaitAsync(_redis.CommandTimeout, cancellationToken);
            await PublishAsync(db, $"s|{sessionId}|{until}");
            return (int)known == 1;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            _redis.ReportFailure(e);
            _dirty = true;
            return false;
        }
    }

    public async Task<int> RevokeAccountAsync(string account, CancellationToken cancellationToken = default)
    {
        long cutoff = _time.GetUtcNow().ToUnixTimeSeconds();
        Revocations.RevokeAccount(account, cutoff);
        if (!_redis.IsUp || _redis.Database is not { } db)
        {
            _dirty = true;
            return 0;
        }
        try
        {
            var members = await db.SortedSetRangeByRankAsync(AccountKey(account)).WaitAsync(_redis.CommandTimeout, cancellationToken);
            int ended = 0;
            foreach (var member in members)
                if (await RevokeSessionAsync(member.ToString(), cancellationToken)) ended++;
            await db.KeyDeleteAsync(AccountKey(account)).WaitAsync(_redis.CommandTimeout, cancellationToken);
            await db.ScriptEvaluateAsync(CutoffScript, [_revokedAccounts], [account, cutoff]).WaitAsync(_redis.CommandTimeout, cancellationToken);
            await PublishAsync(db, $"a|{account}|{cutoff}");
            return ended;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            _redis.ReportFailure(e);
            _dirty = true;
            return 0;
        }
    }

    public bool IsRevoked(string? sessionId, string account, DateTimeOffset issuedAt) => Revocations.IsRevoked(sessionId, account, issuedAt);

    private async Task PublishAsync(IDatabase db, string message)
    {
        try
        {
            await db.PublishAsync(_channel, message).WaitAsync(_redis.CommandTimeout);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            _redis.ReportFailure(e); // the others still get it at their next re-read
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        // "s|<sid>|<until unix ms>" or "a|<account>|<cutoff unix s>"; the account is the part between the first and last '|'
        string text = message.ToString();
        int first = text.IndexOf('|'), last = text.LastIndexOf('|');
        if (first != 1 || last <= first || !long.TryParse(text.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long value)) return;
        string subject = text[(first + 1)..last];
        if (text[0] == 's' && RefreshToken.IsSessionId(subject)) Revocations.RevokeSession(subject, value);
        else if (text[0] == 'a' && subject.Length > 0) Revocations.RevokeAccount(subject, value);
    }

    // ---- keeping the local copy and Redis in step ----------------------------------------------------------------

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var lastFull = DateTime.MinValue;
        var poll = TimeSpan.FromMilliseconds(Math.Min(_syncInterval.TotalMilliseconds, 200));
        while (!stop.IsCancellationRequested)
        {
            int epoch = _redis.UpEpoch;
            bool returned = epoch != _syncedEpoch;
            if (_redis.IsUp && (returned || _dirty || DateTime.UtcNow - lastFull >= _syncInterval))
            {
                if (await SyncAsync(push: returned || _dirty))
                {
                    _syncedEpoch = epoch;
                    lastFull = DateTime.UtcNow;
                }
            }
            try
            {
                await Task.Delay(poll, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Writes every local entry to Redis (after an outage, or a revocation Redis missed), then reads the shared list back.</summary>
    internal async Task<bool> SyncAsync(bool push)
    {
        if (_redis.Database is not { } db) return false;
        try
        {
            if (!_subscribed && _redis.Subscriber is { } sub)
            {
                await sub.SubscribeAsync(_channel, OnMessage).WaitAsync(_redis.CommandTimeout);
                _subscribed = true;
            }
            Revocations.Prune();
            if (push)
            {
                _dirty = false;
                foreach (var (sid, until) in Revocations.Sessions())
                    await db.ScriptEvaluateAsync(RevokeScript, [SessionKey(sid), SpentKey(sid), _revokedSessions], [sid, until]).WaitAsync(_redis.CommandTimeout);
                foreach (var (account, cutoff) in Revocations.Accounts())
                    await db.ScriptEvaluateAsync(CutoffScript, [_revokedAccounts], [account, cutoff]).WaitAsync(_redis.CommandTimeout);
            }
            long now = NowMs;
            await db.SortedSetRemoveRangeByScoreAsync(_revokedSessions, double.NegativeInfinity, now).WaitAsync(_redis.CommandTimeout);
            foreach (var entry in await db.SortedSetRangeByScoreWithScoresAsync(_revokedSessions, now, double.PositiveInfinity).WaitAsync(_redis.CommandTimeout))
                Revocations.RevokeSession(entry.Element.ToString(), (long)entry.Score);
            foreach (var entry in await db.HashGetAllAsync(_revokedAccounts).WaitAsync(_redis.CommandTimeout))
                if (long.TryParse(entry.Value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out long cutoff))
                    Revocations.RevokeAccount(entry.Name.ToString(), cutoff);
            return true;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            if (push) _dirty = true;
            _redis.ReportFailure(e);
            _log.LogWarning("redis: revocation list sync failed: {Error}", e.Message);
            return false;
        }
    }

    private static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
