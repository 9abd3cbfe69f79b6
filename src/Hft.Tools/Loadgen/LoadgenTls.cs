using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Hft.Auth.Tls;

namespace Hft.Tools.Loadgen;

/// <summary>The client side of <c>--tls</c>: the server's certificate must name --host and chain to --ca-file (else the system trust store).</summary>
public static class LoadgenTls
{
    /// <summary>The handshake options of every loadgen connection, or null for plain TCP.</summary>
    public static SslClientAuthenticationOptions? Client(LoadgenOptions options)
    {
        if (!options.Tls) return null;
        var authorities = options.CaFile is null ? new X509Certificate2Collection() : TlsMaterial.LoadAuthorities(options.CaFile);
        return TlsOptions.Client(options.Host, authorities);
    }
}
