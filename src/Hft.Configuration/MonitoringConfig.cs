using System.Net;

namespace Hft.Configuration;

/// <summary>
/// [monitoring]: the operations listener (/metrics, /debug, /health, /ready) and who may read /metrics and /debug:
/// remote addresses in <see cref="AllowedCidrs"/>; the per-account series and the owners of orders (level 3) only an
/// operator (the ops token, an admin token, or - without an ops token configured - the dedicated operations listener).
/// </summary>
public sealed record MonitoringConfig
{
    /// <summary>Port of the operations listener (/metrics, /debug, /health, /ready); the API's too while [server] http_port is 0 or equal.</summary>
    public int MetricsPort { get; init; } = 8080;

    public bool EnablePrometheus { get; init; } = true;

    /// <summary>Remote networks (CIDR) that may read /metrics and /debug, on whichever listener serves them.</summary>
    public IReadOnlyList<string> AllowedCidrs { get; init; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>SHA-256 hex of the ops bearer token (the operator's credential for scrapers); null = none configured.</summary>
    public string? OpsTokenSha256 { get; init; }

    /// <summary><see cref="AllowedCidrs"/> parsed (each entry was checked when the configuration was loaded).</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks() => AllowedCidrs.Select(c => IPNetwork.Parse(c)).ToArray();

    internal static MonitoringConfig Bind(SectionReader r, MonitoringConfig defaults) => new()
    {
        MetricsPort = r.Int("metrics_port", defaults.MetricsPort, 1, 65_535),
        EnablePrometheus = r.Bool("enable_prometheus", defaults.EnablePrometheus),
        AllowedCidrs = r.StringList("allowed_cidrs", defaults.AllowedCidrs).Select(c => c.Trim()).ToArray(),
        OpsTokenSha256 = r.StringOrNull("ops_token_sha256", defaults.OpsTokenSha256)?.Trim().ToLowerInvariant(),
    };

    internal void Validate(BindContext ctx)
    {
        if (AllowedCidrs.Count == 0)
            throw ctx.Error("monitoring", "allowed_cidrs", "must name at least one network (\"0.0.0.0/0\" and \"::/0\" allow every address)");
        foreach (var cidr in AllowedCidrs)
            if (!IsNetwork(cidr))
                throw ctx.Error("monitoring", "allowed_cidrs",
                    $"\"{cidr}\" is not a network in CIDR notation with its host bits zero (e.g. 10.0.0.0/8, 127.0.0.1/32, fc00::/7)");
        if (OpsTokenSha256 is { } hash && !Sha256Hex.IsValid(hash))
            throw ctx.Error("monitoring", "ops_token_sha256", $"must be the SHA-256 of the token as 64 hex digits, got \"{hash}\" ({hash.Length} characters)");
    }

    /// <summary>
    /// "address/prefix" with every bit after the prefix zero. The runtime's parser accepts "10.1.2.3/8"; refused here
    /// so that a typo for one host (10.1.2.3/32) is never read as a whole network.
    /// </summary>
    private static bool IsNetwork(string cidr)
    {
        int slash = cidr.IndexOf('/');
        if (slash <= 0 || !IPNetwork.TryParse(cidr, out var network) || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)) return false;
        var bytes = address.GetAddressBytes();
        for (int bit = network.PrefixLength; bit < bytes.Length * 8; bit++)
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) return false;
        return true;
    }
}
