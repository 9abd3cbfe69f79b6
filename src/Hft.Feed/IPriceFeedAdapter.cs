namespace Hft.Feed;

/// <summary>
/// A source of reference prices (mock walk, an exchange's WebSocket): runs until cancelled, reconnecting on its own,
/// and reports every price, refused message and connection change to the sink. Never throws for bad input.
/// </summary>
public interface IPriceFeedAdapter
{
    /// <summary>The metric label of this source (mock, coinbase, binance).</summary>
    string Source { get; }

    Task RunAsync(IPriceSink sink, CancellationToken cancellationToken);
}
