using Hft.Configuration;

namespace Hft.Server.MarketData;

/// <summary>Limits of the <c>/ws</c> feed (bound from <c>[market_data]</c>; tests construct them directly).</summary>
public sealed record MarketDataOptions
{
    /// <summary>Messages queued per connection before it counts as a slow consumer.</summary>
    public int SendQueueLimit { get; init; } = 1000;

    /// <summary>Overflows after which a slow consumer is disconnected (before that: a resync notice, subscriptions dropped).</summary>
    public int MaxOverflows { get; init; } = 3;

    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest client message accepted.</summary>
    public int MaxMessageBytes { get; init; } = 4096;

    /// <summary>Largest number of events the shards may queue for the publisher before dropping (and resyncing).</summary>
    public int EventQueueCapacity { get; init; } = 65_536;

    /// <summary>Events one user-channel subscription may have queued by the shards before its stream is resynced.</summary>
    public int UserQueueLimit { get; init; } = 4096;

    public int MaxSubscriptions { get; init; } = 100;

    public int MaxConnections { get; init; } = 10_000;

    /// <summary>Level2 conflation of subscriptions that do not ask for any (0 = none).</summary>
    public int DefaultConflateMs { get; init; }

    /// <summary>Smallest non-zero conflate_ms a subscription may ask for.</summary>
    public int MinConflateMs { get; init; } = 10;

    /// <summary>Conflation an unconflated level2 subscription is moved to when its send queue is half full (0 = never).</summary>
    public int SlowConsumerConflateMs { get; init; } = 100;

    /// <summary>
    /// Wall clock of the feed: when an authenticated connection's token lapses, and the ticker's rolling 24 h window
    /// (tests move a manual one).
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public static MarketDataOptions From(MarketDataConfig c) => new()
    {
        SendQueueLimit = c.SendQueueLimit,
        MaxOverflows = c.MaxOverflows,
        Heartbeat = TimeSpan.FromSeconds(c.HeartbeatSeconds),
        MaxMessageBytes = c.MaxMessageBytes,
        EventQueueCapacity = c.EventQueueCapacity,
        UserQueueLimit = c.UserQueueLimit,
        MaxSubscriptions = c.MaxSubscriptions,
        MaxConnections = c.MaxConnections,
        DefaultConflateMs = c.DefaultConflateMs,
        MinConflateMs = c.MinConflateMs,
        SlowConsumerConflateMs = c.SlowConsumerConflateMs,
    };
}
