namespace Hft.Configuration;

/// <summary>
/// [dr]: a disaster-recovery replica (docs/ARCHITECTURE.md, "Disaster-recovery replica"). With <see cref="Enabled"/> the
/// node is no member of any Raft group: it streams the committed journal from any member in <see cref="Sources"/>
/// (<c>GET /replication/journal</c> on their operations listener), applies it to its own journal and shards, takes no
/// order entry, and counts toward no majority. An operator promotes it (<c>hft promote</c>) to a venue of its own.
/// The keys <see cref="MaxStreams"/> and <see cref="StreamWriteTimeoutSeconds"/> bound what DR replicas may cost a source:
/// they are read on every node.
/// </summary>
public sealed record DrConfig
{
    /// <summary>This node is a DR replica: it follows <see cref="Sources"/> and refuses order entry until promoted.</summary>
    public bool Enabled { get; init; }

    /// <summary>Operations URLs (<c>http(s)://host:metrics_port</c>) of the group's members: any of them serves the committed journal.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>The bearer sent to the sources (their ops token, or an admin token). Prefer <see cref="TokenFile"/>.</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the bearer (e.g. a mounted secret); read at start-up, surrounding white space ignored.</summary>
    public string? TokenFile { get; init; }

    /// <summary>Longest wait before the next source is tried after a failed or lost stream (the wait doubles from 100 ms).</summary>
    public int ReconnectMaxMs { get; init; } = 5000;

    /// <summary>A stream that brought nothing (not even a heartbeat) for this long is dropped and another source tried.</summary>
    public int StaleSeconds { get; init; } = 10;

    /// <summary>Source side: journal streams this node serves at once; more are answered 503.</summary>
    public int MaxStreams { get; init; } = 4;

    /// <summary>Source side: a DR replica that takes no bytes of a frame for this long is disconnected.</summary>
    public int StreamWriteTimeoutSeconds { get; init; } = 30;

    /// <summary>The bearer: <see cref="Token"/>, else the content of <see cref="TokenFile"/> (null when neither is set).</summary>
    public string? ResolveToken()
    {
        if (!string.IsNullOrWhiteSpace(Token)) return Token.Trim();
        return string.IsNullOrWhiteSpace(TokenFile) ? null : File.ReadAllText(TokenFile).Trim();
    }

    // Keeps the token out of ToString() (and so out of logs that print the configuration).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Enabled = {Enabled}, Sources = [{string.Join(", ", Sources)}], Token = {(Token is null ? "null" : "<redacted>")}, ");
        builder.Append($"TokenFile = {TokenFile}, ReconnectMaxMs = {ReconnectMaxMs}, StaleSeconds = {StaleSeconds}, MaxStreams = {MaxStreams}, ");
        builder.Append($"StreamWriteTimeoutSeconds = {StreamWriteTimeoutSeconds}");
        return true;
    }

    internal static DrConfig Bind(SectionReader r, DrConfig defaults)
    {
        var c = new DrConfig
        {
            Enabled = r.Bool("enabled", defaults.Enabled),
            Sources = r.StringList("sources", defaults.Sources).Select(s => s.Trim().TrimEnd('/')).ToArray(),
            Token = r.StringOrNull("token", defaults.Token),
            TokenFile = r.StringOrNull("token_file", defaults.TokenFile),
            ReconnectMaxMs = r.Int("reconnect_max_ms", defaults.ReconnectMaxMs, 100, 600_000),
            StaleSeconds = r.Int("stale_seconds", defaults.StaleSeconds, 3, 3600),
            MaxStreams = r.Int("max_streams", defaults.MaxStreams, 0, 64),
            StreamWriteTimeoutSeconds = r.Int("stream_write_timeout_seconds", defaults.StreamWriteTimeoutSeconds, 1, 3600),
        };
        foreach (var source in c.Sources)
            if (!Uri.TryCreate(source, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.PathAndQuery != "/")
                throw r.Error("sources", $"\"{source}\" is not an http(s) base URL (scheme, host and port: https://hft-0.hft:9090)");
        return c;
    }

    /// <summary>A DR replica needs somewhere to follow, a credential, and no Raft group of its own.</summary>
    internal void Validate(BindContext ctx, HftConfig c)
    {
        if (!Enabled) return;
        if (Sources.Count == 0) throw ctx.Error("dr", "sources", "must name at least one member's operations URL when enabled");
        if (new HashSet<string>(Sources, StringComparer.OrdinalIgnoreCase).Count != Sources.Count)
            throw ctx.Error("dr", "sources", "lists a source twice");
        if (c.Replication.Enabled)
            throw ctx.Error("dr", "enabled", "a DR replica is no member of a Raft group: [replication] enabled must be false");
        if (c.Journal.Mode == "none") throw ctx.Error("dr", "enabled", "needs [journal] mode sync or async: the replica keeps the committed journal");
        bool hasToken = !string.IsNullOrWhiteSpace(Token), hasFile = !string.IsNullOrWhiteSpace(TokenFile);
        if (hasToken == hasFile)
            throw ctx.Error("dr", hasToken ? "token_file" : "token",
                "exactly one of token and token_file must be set: the sources refuse a journal stream without a bearer");
        if (hasFile && !File.Exists(TokenFile)) throw ctx.Error("dr", "token_file", $"file not found: {TokenFile}");
    }
}
