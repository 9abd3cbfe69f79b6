namespace Hft.Server.Cache;

/// <summary>
/// Short-lived cache of public market-data responses (L2 snapshots, tickers) as ready JSON bytes. A lookup that fails
/// for any reason is a miss: the caller computes the answer from the book. Never on the matching path.
/// </summary>
public interface IMarketCache
{
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores without waiting for the store (fire and forget): a response is never delayed by caching it.</summary>
    void Set(string key, byte[] value, TimeSpan ttl);
}
