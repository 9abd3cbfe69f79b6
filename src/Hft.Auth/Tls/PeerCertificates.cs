using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Hft.Auth.Tls;

/// <summary>The one check of a certificate the other side showed: it chains to our authorities (or the system's).</summary>
public static class PeerCertificates
{
    /// <summary>
    /// True when <paramref name="presented"/> chains to <paramref name="authorities"/> (none given: the system trust
    /// store, as the TLS stack already judged it). <paramref name="checkName"/>: the name must match the host dialled.
    /// </summary>
    public static bool Trusted(X509Certificate? presented, SslPolicyErrors errors, X509Certificate2Collection authorities, bool checkName)
    {
        if (presented is null) return false;
        if (checkName && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        if (authorities.Count == 0) return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var certificate = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(certificate);
    }
}
