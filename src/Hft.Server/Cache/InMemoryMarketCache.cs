using System.Collections.Concurrent;

namespace Hft.Server.Cache;

/// <summary>The market-data cache in this process (no Redis). Bounded to <see cref="Capacity"/> entries.</summary>
public sealed class InMemoryMarketCache(TimeProvider? time = null) : IMarketCache
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (byte[] Value, long ExpiresMs)> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public int Count => _entries.Count;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(key, out var e))
        {
            if (e.ExpiresMs > NowMs) return ValueTask.FromResult<byte[]?>(e.Value);
            _entries.TryRemove(new KeyValuePair<string, (byte[], long)>(key, e));
        }
        return ValueTask.FromResult<byte[]?>(null);
    }

    public void Set(string key, byte[] value, TimeSpan ttl)
    {
        long now = NowMs;
        if (_entries.Count >= Capacity && !_entries.ContainsKey(key))
        {
            foreach (var (k, e) in _entries)
                if (e.ExpiresMs <= now) _entries.TryRemove(new KeyValuePair<string, (byte[], long)>(k, e));
            if (_entries.Count >= Capacity) return; // full of live entries: serve uncached rather than grow
        }
        _entries[key] = (value, now + (long)ttl.TotalMilliseconds);
    }
}
