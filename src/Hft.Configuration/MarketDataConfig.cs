namespace Hft.Configuration;

/// <summary>[market_data]: limits of the WebSocket feed (<c>/ws</c>): public channels, level3 and the private user channel.</summary>
public sealed record MarketDataConfig
{
    /// <summary>Messages queued per connection before it counts as a slow consumer (resync notice).</summary>
    public int SendQueueLimit { get; init; } = 1000;

    /// <summary>Overflows of one connection after which it is closed (before that: resync notices).</summary>
    public int MaxOverflows { get; init; } = 3;

    /// <summary>Events of one user-channel subscription the shards may queue before the stream is resynced.</summary>
    public int UserQueueLimit { get; init; } = 4096;

    /// <summary>Subscriptions (channel + symbol, or user channel of an account) one connection may hold.</summary>
    public int MaxSubscriptions { get; init; } = 100;

    /// <summary>Open /ws connections the server accepts; further upgrades get 503.</summary>
    public int MaxConnections { get; init; } = 10_000;

    public int HeartbeatSeconds { get; init; } = 15;

    /// <summary>Level2 conflation when a subscription does not ask for any; 0 = every change is sent.</summary>
    public int DefaultConflateMs { get; init; }

    /// <summary>Smallest non-zero conflate_ms a subscription may ask for.</summary>
    public int MinConflateMs { get; init; } = 10;

    /// <summary>Events the shards may queue for the publisher before dropping commands (and resyncing level2).</summary>
    public int EventQueueCapacity { get; init; } = 65_536;

    /// <summary>Largest client message accepted, in bytes.</summary>
    public int MaxMessageBytes { get; init; } = 4096;
}
