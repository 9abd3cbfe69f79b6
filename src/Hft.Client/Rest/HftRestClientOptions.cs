namespace Hft.Client.Rest;

/// <summary>
/// How <see cref="HftRestClient"/> reaches a server: its base URL, a bearer token, and for an https URL an optional PEM
/// file of the authorities its certificate must chain to (without it the system trust store decides).
/// </summary>
public sealed record HftRestClientOptions(Uri BaseUrl)
{
    public string? Token { get; init; }

    public string? CaFile { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Concurrent connections to the server (the HTTP stack's default: unbounded).</summary>
    public int MaxConnections { get; init; } = int.MaxValue;

    /// <summary>How long a pooled connection is reused (the HTTP stack's default: forever).</summary>
    public TimeSpan PooledConnectionLifetime { get; init; } = System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>A plain-HTTP server on 127.0.0.1.</summary>
    public static HftRestClientOptions Loopback(int port, string? token = null) => new(new Uri($"http://127.0.0.1:{port}/")) { Token = token };
}
