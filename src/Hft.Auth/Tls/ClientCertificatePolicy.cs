namespace Hft.Auth.Tls;

/// <summary>Whether a listener asks clients for a certificate ([tls] client_certificates).</summary>
public enum ClientCertificatePolicy : byte
{
    /// <summary>No client certificate asked for: clients authenticate by their login.</summary>
    None,

    /// <summary>Asked for; one that is shown must chain to [tls] ca_file.</summary>
    Optional,

    /// <summary>A connection without a certificate chaining to [tls] ca_file is refused in the handshake.</summary>
    Required,
}
