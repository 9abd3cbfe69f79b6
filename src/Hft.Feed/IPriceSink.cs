namespace Hft.Feed;

/// <summary>Where an adapter delivers what it receives (the <see cref="FeedStage"/>).</summary>
public interface IPriceSink
{
    /// <summary>A reference price for an instrument, in whole ticks (positive, on the grid).</summary>
    void OnPrice(int instrument, long ticks);

    /// <summary>A message that was counted and skipped (reason: a <see cref="FeedParseResult"/> label).</summary>
    void OnRejected(FeedParseResult reason);

    /// <summary>Connected (true) or lost the connection (false; the adapter reconnects with backoff).</summary>
    void OnConnection(bool connected);
}
