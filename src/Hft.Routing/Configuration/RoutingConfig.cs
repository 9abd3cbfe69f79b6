using System.Net;

namespace Hft.Routing.Configuration;

/// <summary>
/// The routing gateway's configuration (<c>[routing]</c> of its own TOML file, see config/routing.example.toml).
/// Symbols are partitioned over replicated groups; each group is a set of hft nodes of which one leads.
/// </summary>
public sealed record RoutingConfig
{
    /// <summary>File the configuration was read from (null when built in code).</summary>
    public string? SourceFile { get; init; }

    /// <summary>Where the gateway listens; port 0 = any free port.</summary>
    public required ListenAddress Listen { get; init; }

    /// <summary>Period of the <c>GET /replication/status</c> poll of every node.</summary>
    public int LeaderPollMs { get; init; } = 250;

    /// <summary>Budget of one client request: waiting for a leader plus the upstream exchange.</summary>
    public int RequestTimeoutMs { get; init; } = 5000;

    /// <summary>Largest request body accepted (larger: 413 payload_too_large).</summary>
    public int MaxBodyBytes { get; init; } = 16 * 1024;

    public required IReadOnlyList<GroupConfig> Groups { get; init; }
}

/// <summary>One replicated group: the symbols it owns and the API base URLs of its nodes.</summary>
public sealed record GroupConfig
{
    /// <summary>0..1023; order ids of group g are above g &lt;&lt; 40 (<see cref="OrderIds.GroupOf"/>).</summary>
    public required int Id { get; init; }

    public required IReadOnlyList<string> Symbols { get; init; }

    /// <summary>Normalized base URLs (scheme://host:port/), http or https.</summary>
    public required IReadOnlyList<Uri> Nodes { get; init; }
}

/// <summary><c>listen = "host:port"</c>: an IP literal (IPv6 in brackets) or <c>localhost</c>.</summary>
public sealed record ListenAddress(IPAddress? Address, int Port)
{
    /// <summary>Null <see cref="Address"/>: localhost (both loopbacks).</summary>
    public bool IsLocalhost => Address is null;

    public override string ToString() => Address is null ? $"localhost:{Port}"
        : Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}

/// <summary>How an exchange order id names its group.</summary>
public static class OrderIds
{
    public const int GroupShift = 40;
    public const int MaxGroup = 1023;

    /// <summary>The group of an order id (the ids of group g start above g &lt;&lt; 40).</summary>
    public static int GroupOf(long orderId) => (int)(orderId >> GroupShift);
}
