using Hft.Configuration;

namespace Hft.Server.MarketData.Binary;

/// <summary>The binary UDP feed and its TCP recovery service (bound from <c>[market_data] binary_feed_*</c>; tests build them directly).</summary>
public sealed record BinaryFeedOptions
{
    /// <summary>Unicast subscribers, <c>host:port</c> each (IPv4 addresses or names resolved at start).</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Multicast group (IPv4, e.g. 239.1.1.1); null: none.</summary>
    public string? MulticastGroup { get; init; }

    public int MulticastPort { get; init; } = 31_001;

    /// <summary>Hops a multicast packet may take (1: the local network).</summary>
    public int MulticastTtl { get; init; } = 1;

    /// <summary>The local IPv4 address of the interface multicast leaves by; null: the system's choice.</summary>
    public string? MulticastInterface { get; init; }

    /// <summary>Whether this host's own sockets receive the group's packets (on for tests and single-host setups).</summary>
    public bool MulticastLoopback { get; init; } = true;

    /// <summary>Address the recovery service listens on.</summary>
    public string RecoveryBind { get; init; } = "127.0.0.1";

    /// <summary>TCP port of the recovery service (0: a free port, see <see cref="RecoveryServer.Port"/>).</summary>
    public int RecoveryPort { get; init; }

    /// <summary>Largest UDP payload (packet header and messages); messages are batched into packets up to it.</summary>
    public int Mtu { get; init; } = 1400;

    /// <summary>Recent messages held for retransmission; an older range answers NotAvailable (use a snapshot).</summary>
    public int RetransmitCapacity { get; init; } = 262_144;

    /// <summary>Messages one retransmission request may ask for.</summary>
    public int MaxRetransmitMessages { get; init; } = 10_000;

    public int MaxRecoveryClients { get; init; } = 16;

    /// <summary>A recovery client that sends no request for this long (or does not read an answer for this long) is dropped.</summary>
    public TimeSpan RecoveryIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A heartbeat packet after this long without a packet.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The options of <c>[market_data]</c>; null when <c>binary_feed_enabled</c> is false.</summary>
    public static BinaryFeedOptions? From(MarketDataConfig c, string bind) => !c.BinaryFeedEnabled ? null : new()
    {
        Targets = c.BinaryFeedTargets,
        MulticastGroup = c.BinaryFeedMulticastGroup,
        MulticastPort = c.BinaryFeedMulticastPort,
        MulticastTtl = c.BinaryFeedMulticastTtl,
        MulticastInterface = c.BinaryFeedMulticastInterface,
        RecoveryBind = bind,
        RecoveryPort = c.BinaryFeedRecoveryPort,
        Mtu = c.BinaryFeedMtu,
        RetransmitCapacity = c.BinaryFeedRetransmitCapacity,
        MaxRetransmitMessages = c.BinaryFeedMaxRetransmitMessages,
        MaxRecoveryClients = c.BinaryFeedMaxRecoveryClients,
        RecoveryIdleTimeout = TimeSpan.FromSeconds(c.BinaryFeedRecoveryIdleSeconds),
        Heartbeat = TimeSpan.FromMilliseconds(c.BinaryFeedHeartbeatMs),
    };
}
