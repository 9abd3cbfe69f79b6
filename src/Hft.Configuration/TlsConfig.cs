namespace Hft.Configuration;

/// <summary>
/// [tls]: one certificate and key (PEM files, re-read when they change) for every listener that turns TLS on, and the
/// authorities that sign the certificates of clients and replication peers (mutual TLS). See docs/SECURITY.md.
/// </summary>
public sealed record TlsConfig
{
    public static readonly string[] ClientCertificateModes = ["none", "optional", "required"];

    /// <summary>PEM certificate of this node, followed by its intermediates (cert-manager's <c>tls.crt</c>).</summary>
    public string? CertFile { get; init; }

    /// <summary>PEM private key of <see cref="CertFile"/> (<c>tls.key</c>).</summary>
    public string? KeyFile { get; init; }

    /// <summary>PEM certificates of the authorities trusted to sign client and peer certificates (<c>ca.crt</c>).</summary>
    public string? CaFile { get; init; }

    /// <summary>HTTPS and WSS on the API listener ([server] http_port; the shared listener while the API shares the operations port).</summary>
    public bool Http { get; init; }

    /// <summary>HTTPS on a separate operations listener ([monitoring] metrics_port: /metrics, /debug, /health, /ready).</summary>
    public bool Operations { get; init; }

    /// <summary>TLS on the binary order-entry listener.</summary>
    public bool Binary { get; init; }

    /// <summary>TLS on the FIX acceptor (FIX over TLS, as venues offer it).</summary>
    public bool Fix { get; init; }

    /// <summary>Mutual TLS between replication peers: each side shows the node certificate and checks the other's against <see cref="CaFile"/>.</summary>
    public bool Raft { get; init; }

    /// <summary>Client certificates on the HTTP, binary and FIX listeners: none, optional (checked when shown) or required.</summary>
    public string ClientCertificates { get; init; } = "none";

    /// <summary>How often the files are checked for a change; a changed pair is loaded for new connections, no restart.</summary>
    public int ReloadCheckSeconds { get; init; } = 10;

    /// <summary>Production refuses a listener (and a Redis connection) without TLS unless this is true.</summary>
    public bool AllowPlaintext { get; init; }

    public bool AnyListener => Http || Operations || Binary || Fix || Raft;

    internal static TlsConfig Bind(SectionReader r, TlsConfig defaults) => new()
    {
        CertFile = r.StringOrNull("cert_file", defaults.CertFile),
        KeyFile = r.StringOrNull("key_file", defaults.KeyFile),
        CaFile = r.StringOrNull("ca_file", defaults.CaFile),
        Http = r.Bool("http", defaults.Http),
        Operations = r.Bool("operations", defaults.Operations),
        Binary = r.Bool("binary", defaults.Binary),
        Fix = r.Bool("fix", defaults.Fix),
        Raft = r.Bool("raft", defaults.Raft),
        ClientCertificates = r.String("client_certificates", defaults.ClientCertificates),
        ReloadCheckSeconds = r.Int("reload_check_seconds", defaults.ReloadCheckSeconds, 1, 3600),
        AllowPlaintext = r.Bool("allow_plaintext", defaults.AllowPlaintext),
    };

    internal void Validate(BindContext ctx)
    {
        if (Array.IndexOf(ClientCertificateModes, ClientCertificates) < 0)
            throw ctx.Error("tls", "client_certificates", $"must be one of {string.Join(", ", ClientCertificateModes)}, got \"{ClientCertificates}\"");
        if (AnyListener && string.IsNullOrWhiteSpace(CertFile))
            throw ctx.Error("tls", "cert_file", "is required when http, operations, binary, fix or raft is true");
        if (AnyListener && string.IsNullOrWhiteSpace(KeyFile))
            throw ctx.Error("tls", "key_file", "is required when http, operations, binary, fix or raft is true");
        if (Raft && string.IsNullOrWhiteSpace(CaFile))
            throw ctx.Error("tls", "ca_file", "is required when raft is true: peers are checked against it");
        if (ClientCertificates != "none" && string.IsNullOrWhiteSpace(CaFile))
            throw ctx.Error("tls", "ca_file", $"is required when client_certificates is \"{ClientCertificates}\"");
    }
}
