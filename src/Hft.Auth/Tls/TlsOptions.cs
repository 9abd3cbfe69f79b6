using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Hft.Auth.Tls;

/// <summary>The handshake options of every TLS listener and dialler, built from one <see cref="CertificateSource"/>.</summary>
public static class TlsOptions
{
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>[tls] client_certificates as a policy (validated when the configuration was loaded).</summary>
    public static ClientCertificatePolicy ClientPolicy(Hft.Configuration.TlsConfig tls) => tls.ClientCertificates switch
    {
        "optional" => ClientCertificatePolicy.Optional,
        "required" => ClientCertificatePolicy.Required,
        _ => ClientCertificatePolicy.None,
    };

    /// <summary>Server side of a handshake (HTTP, binary, FIX, Raft); the certificate current at this handshake.</summary>
    public static SslServerAuthenticationOptions Server(CertificateSource source, ClientCertificatePolicy clients)
    {
        var material = source.Current;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = material.ServerContext,
            EnabledSslProtocols = Protocols,
            ClientCertificateRequired = clients != ClientCertificatePolicy.None,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificate is null
                ? clients != ClientCertificatePolicy.Required
                : PeerCertificates.Trusted(certificate, errors, material.Authorities, checkName: false),
        };
    }

    /// <summary>
    /// Client side: checks the server against <paramref name="authorities"/> (empty: the system trust store) and the
    /// name <paramref name="targetHost"/>; shows <paramref name="clientCertificate"/> when given (mutual TLS).
    /// </summary>
    public static SslClientAuthenticationOptions Client(string targetHost, X509Certificate2Collection authorities, X509Certificate2? clientCertificate = null)
        => new()
        {
            TargetHost = targetHost,
            EnabledSslProtocols = Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => PeerCertificates.Trusted(certificate, errors, authorities, checkName: true),
        };

    /// <summary>
    /// Server side of a peer link (Raft): one options object serves every connection the listener accepts, so the
    /// certificate and the authorities are read from <paramref name="source"/> at each handshake (a renewed pair serves
    /// the next connection). The peer must show a certificate chaining to [tls] ca_file.
    /// </summary>
    public static SslServerAuthenticationOptions PeerServer(CertificateSource source) => new()
    {
        ServerCertificateSelectionCallback = (_, _) => source.Current.Certificate,
        EnabledSslProtocols = Protocols,
        ClientCertificateRequired = true,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, errors)
            => PeerCertificates.Trusted(certificate, errors, source.Current.Authorities, checkName: false),
    };

    /// <summary>
    /// Client side of a peer link: <paramref name="peerHost"/>'s certificate must name it and chain to [tls] ca_file; the
    /// node certificate current at each handshake is shown as the client certificate.
    /// </summary>
    public static SslClientAuthenticationOptions PeerClient(CertificateSource source, string peerHost) => new()
    {
        TargetHost = peerHost,
        EnabledSslProtocols = Protocols,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        LocalCertificateSelectionCallback = (_, _, _, _, _) => source.Current.Certificate,
        RemoteCertificateValidationCallback = (_, certificate, _, errors)
            => PeerCertificates.Trusted(certificate, errors, source.Current.Authorities, checkName: true),
    };
}
