using System.Net;

namespace Hft.Client.MarketData;

/// <summary>Where a <see cref="FeedClient"/> listens and recovers.</summary>
public sealed record FeedClientOptions
{
    /// <summary>Local UDP endpoint (port 0: a free port, see <see cref="FeedClient.Port"/>; the publisher's target must name it).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>A multicast group to join (the socket then binds <see cref="Listen"/>'s port on any address).</summary>
    public IPAddress? MulticastGroup { get; init; }

    /// <summary>The local interface address to join the group on (null: the system's choice).</summary>
    public IPAddress? MulticastInterface { get; init; }

    /// <summary>The publisher's TCP recovery service; null: gaps are counted, not filled.</summary>
    public IPEndPoint? Recovery { get; init; }

    /// <summary>How long a recovery answer may take.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages asked per retransmission request (lowered to the service's limit when it says RangeTooLarge).</summary>
    public int MaxRetransmitMessages { get; init; } = 10_000;

    /// <summary>The socket's receive buffer: what a burst may queue while the client recovers.</summary>
    public int ReceiveBufferBytes { get; init; } = 4 << 20;

    /// <summary>The clock of decode timestamps (Unix nanoseconds, comparable with the publisher's on one host).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
