using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hft.Tests.Tls;

/// <summary>
/// A throw-away certificate authority in a temporary directory, issuing node and client certificates for TLS tests
/// (PEM files as cert-manager writes them: tls.crt, tls.key, ca.crt). Shared by the test projects as a linked file.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey;

    private TestCertificates(string dir, string name)
    {
        Dir = dir;
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        CaFile = Path.Combine(dir, "ca.crt");
        File.WriteAllText(CaFile, Authority.ExportCertificatePem());
        CertFile = Path.Combine(dir, "tls.crt");
        KeyFile = Path.Combine(dir, "tls.key");
        WriteNode("localhost", CertFile, KeyFile);
    }

    public string Dir { get; }

    /// <summary>The authority (public part); <see cref="CaFile"/> holds it as PEM.</summary>
    public X509Certificate2 Authority { get; }

    public string CaFile { get; }

    /// <summary>A node certificate for localhost, 127.0.0.1 and ::1, and its key.</summary>
    public string CertFile { get; }

    public string KeyFile { get; }

    public X509CertificateCollection AuthorityCollection => new X509Certificate2Collection(Authority);

    /// <summary>A new authority with a node certificate in a fresh temporary directory.</summary>
    public static TestCertificates Create(string name = "hft test CA")
    {
        var dir = Path.Combine(Path.GetTempPath(), "hft-tls-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return new TestCertificates(dir, name);
    }

    /// <summary>Writes a new node certificate signed by this authority over <paramref name="certFile"/> and <paramref name="keyFile"/> (rotation).</summary>
    public X509Certificate2 WriteNode(string commonName, string certFile, string keyFile, TimeSpan? lifetime = null)
    {
        var certificate = Issue(commonName, lifetime ?? TimeSpan.FromDays(30), out var key);
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        return certificate;
    }

    /// <summary>A client certificate (with its private key) signed by this authority.</summary>
    public X509Certificate2 Client(string commonName)
    {
        var certificate = Issue(commonName, TimeSpan.FromDays(30), out var key);
        using var withKey = certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A self-signed certificate (with key) no authority of ours vouches for.</summary>
    public static X509Certificate2 Stranger(string commonName = "stranger")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafRequest(commonName, key);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Deletes the directory and its files (a node under test may still hold one open: then it stays).</summary>
    public void Dispose()
    {
        _caKey.Dispose();
        Authority.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private X509Certificate2 Issue(string commonName, TimeSpan lifetime, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafRequest(commonName, key);
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        return request.Create(Authority.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), notBefore, notBefore + lifetime, serial);
    }

    private static CertificateRequest LeafRequest(string commonName, ECDsa key)
    {
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (commonName != "localhost") names.AddDnsName(commonName);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }
}
