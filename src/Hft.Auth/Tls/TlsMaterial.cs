using System.Security.Cryptography.X509Certificates;
using System.Net.Security;

namespace Hft.Auth.Tls;

/// <summary>One loaded certificate/key pair with its intermediates, and the authorities peers are checked against.</summary>
public sealed class TlsMaterial
{
    private TlsMaterial(X509Certificate2 certificate, SslStreamCertificateContext serverContext, X509Certificate2Collection authorities)
    {
        Certificate = certificate;
        ServerContext = serverContext;
        Authorities = authorities;
    }

    /// <summary>The node's certificate with its private key (shown to clients, and to peers as a client certificate).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>What a server handshake sends: the certificate and its intermediates.</summary>
    public SslStreamCertificateContext ServerContext { get; }

    /// <summary>Trust anchors for client and peer certificates; empty = the system's trust store.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>Reads the PEM files; throws <see cref="TlsFileException"/> naming the file and the problem.</summary>
    public static TlsMaterial Load(string certFile, string keyFile, string? caFile)
    {
        X509Certificate2 certificate;
        var intermediates = new X509Certificate2Collection();
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // Re-imported so the key is a persisted one: SslStream cannot use an ephemeral PEM key on every platform.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            intermediates.ImportFromPemFile(certFile);
            if (intermediates.Count > 0) intermediates.RemoveAt(0); // the first certificate of the file is the node's own
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new TlsFileException($"cannot load certificate {certFile} with key {keyFile}: {e.Message}", e);
        }
        var authorities = string.IsNullOrWhiteSpace(caFile) ? new X509Certificate2Collection() : LoadAuthorities(caFile);
        var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
        return new TlsMaterial(certificate, context, authorities);
    }

    /// <summary>The PEM certificates of <paramref name="caFile"/>; throws <see cref="TlsFileException"/> when it does not load or holds none.</summary>
    public static X509Certificate2Collection LoadAuthorities(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new TlsFileException($"cannot load authorities {caFile}: {e.Message}", e);
        }
        if (authorities.Count == 0) throw new TlsFileException($"{caFile} holds no PEM certificate", null);
        return authorities;
    }
}
