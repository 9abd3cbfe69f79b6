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

    /// <summary>
    /// Interval an unconflated level2 subscription is moved to once its connection's send queue is half full (a slow
    /// consumer keeps a consistent book at a lower rate before it is ever dropped); 0 = never moved, only dropped.
    /// </summary>
    public int SlowConsumerConflateMs { get; init; } = 100;

    /// <summary>Events the shards may queue for the publisher before dropping commands (and resyncing level2).</summary>
    public int EventQueueCapacity { get; init; } = 65_536;

    /// <summary>Largest client message accepted, in bytes.</summary>
    public int MaxMessageBytes { get; init; } = 4096;

    // ---- the binary UDP feed and its TCP recovery service (docs/protocol/marketdata.md) ----

    /// <summary>Publish the binary feed over UDP (and serve its recovery over TCP).</summary>
    public bool BinaryFeedEnabled { get; init; }

    /// <summary>Unicast subscribers, "host:port" each.</summary>
    public IReadOnlyList<string> BinaryFeedTargets { get; init; } = [];

    /// <summary>IPv4 multicast group ("" or absent: no multicast).</summary>
    public string? BinaryFeedMulticastGroup { get; init; }

    public int BinaryFeedMulticastPort { get; init; } = 31_001;

    public int BinaryFeedMulticastTtl { get; init; } = 1;

    /// <summary>Local IPv4 address of the interface multicast leaves by (absent: the system's choice).</summary>
    public string? BinaryFeedMulticastInterface { get; init; }

    /// <summary>TCP port of the recovery service (0: a free port, logged at start).</summary>
    public int BinaryFeedRecoveryPort { get; init; } = 31_002;

    /// <summary>Largest UDP payload in bytes.</summary>
    public int BinaryFeedMtu { get; init; } = 1400;

    /// <summary>Recent messages held for retransmission.</summary>
    public int BinaryFeedRetransmitCapacity { get; init; } = 262_144;

    /// <summary>Messages one retransmission request may ask for.</summary>
    public int BinaryFeedMaxRetransmitMessages { get; init; } = 10_000;

    public int BinaryFeedMaxRecoveryClients { get; init; } = 16;

    public int BinaryFeedRecoveryIdleSeconds { get; init; } = 30;

    public int BinaryFeedHeartbeatMs { get; init; } = 1000;

    internal static MarketDataConfig Bind(SectionReader r, MarketDataConfig defaults) => new()
    {
        SendQueueLimit = r.Int("send_queue_limit", defaults.SendQueueLimit, 16, 1_000_000),
        MaxOverflows = r.Int("max_overflows", defaults.MaxOverflows, 1, 1000),
        UserQueueLimit = r.Int("user_queue_limit", defaults.UserQueueLimit, 16, 1_000_000),
        MaxSubscriptions = r.Int("max_subscriptions", defaults.MaxSubscriptions, 1, 100_000),
        MaxConnections = r.Int("max_connections", defaults.MaxConnections, 1, 1_000_000),
        HeartbeatSeconds = r.Int("heartbeat_seconds", defaults.HeartbeatSeconds, 1, 3600),
        DefaultConflateMs = r.Int("default_conflate_ms", defaults.DefaultConflateMs, 0, 60_000),
        MinConflateMs = r.Int("min_conflate_ms", defaults.MinConflateMs, 1, 60_000),
        SlowConsumerConflateMs = r.Int("slow_consumer_conflate_ms", defaults.SlowConsumerConflateMs, 0, 60_000),
        EventQueueCapacity = r.Int("event_queue_capacity", defaults.EventQueueCapacity, 1024, 16_777_216),
        MaxMessageBytes = r.Int("max_message_bytes", defaults.MaxMessageBytes, 256, 1_048_576),
        BinaryFeedEnabled = r.Bool("binary_feed_enabled", defaults.BinaryFeedEnabled),
        BinaryFeedTargets = r.StringList("binary_feed_targets", defaults.BinaryFeedTargets),
        BinaryFeedMulticastGroup = Blank(r.StringOrNull("binary_feed_multicast_group", defaults.BinaryFeedMulticastGroup)),
        BinaryFeedMulticastPort = r.Int("binary_feed_multicast_port", defaults.BinaryFeedMulticastPort, 1, 65_535),
        BinaryFeedMulticastTtl = r.Int("binary_feed_multicast_ttl", defaults.BinaryFeedMulticastTtl, 0, 255),
        BinaryFeedMulticastInterface = Blank(r.StringOrNull("binary_feed_multicast_interface", defaults.BinaryFeedMulticastInterface)),
        BinaryFeedRecoveryPort = r.Int("binary_feed_recovery_port", defaults.BinaryFeedRecoveryPort, 0, 65_535),
        BinaryFeedMtu = r.Int("binary_feed_mtu", defaults.BinaryFeedMtu, 128, 65_000),
        BinaryFeedRetransmitCapacity = r.Int("binary_feed_retransmit_capacity", defaults.BinaryFeedRetransmitCapacity, 1024, 16_777_216),
        BinaryFeedMaxRetransmitMessages = r.Int("binary_feed_max_retransmit_messages", defaults.BinaryFeedMaxRetransmitMessages, 1, 1_000_000),
        BinaryFeedMaxRecoveryClients = r.Int("binary_feed_max_recovery_clients", defaults.BinaryFeedMaxRecoveryClients, 1, 10_000),
        BinaryFeedRecoveryIdleSeconds = r.Int("binary_feed_recovery_idle_seconds", defaults.BinaryFeedRecoveryIdleSeconds, 1, 3600),
        BinaryFeedHeartbeatMs = r.Int("binary_feed_heartbeat_ms", defaults.BinaryFeedHeartbeatMs, 10, 60_000),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    internal void Validate(BindContext ctx)
    {
        if (DefaultConflateMs > 0 && DefaultConflateMs < MinConflateMs)
            throw ctx.Error("market_data", "default_conflate_ms", $"must be 0 or at least min_conflate_ms ({MinConflateMs}), got {DefaultConflateMs}");
        if (SlowConsumerConflateMs > 0 && SlowConsumerConflateMs < MinConflateMs)
            throw ctx.Error("market_data", "slow_consumer_conflate_ms", $"must be 0 or at least min_conflate_ms ({MinConflateMs}), got {SlowConsumerConflateMs}");
        foreach (var target in BinaryFeedTargets)
            if (!HostPort.TryParse(target, out _, out _))
                throw ctx.Error("market_data", "binary_feed_targets", $"each target is \"host:port\", got \"{target}\"");
        if (BinaryFeedMulticastGroup is { } group && (!System.Net.IPAddress.TryParse(group, out var address)
                || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || (address.GetAddressBytes()[0] & 0xF0) != 0xE0))
            throw ctx.Error("market_data", "binary_feed_multicast_group", $"must be an IPv4 multicast address (224.0.0.0/4), got \"{group}\"");
        if (BinaryFeedMulticastInterface is { } nic && !System.Net.IPAddress.TryParse(nic, out _))
            throw ctx.Error("market_data", "binary_feed_multicast_interface", $"must be the interface's IPv4 address, got \"{nic}\"");
    }
}
