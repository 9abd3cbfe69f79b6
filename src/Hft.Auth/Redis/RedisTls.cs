using Hft.Auth.Tls;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hft.Auth.Redis;

/// <summary>
/// [redis] connection with <c>ssl=true</c> and the node's [tls] material: Redis's certificate must name the host dialled
/// and chain to [tls] ca_file (none set: the system trust store), and the node certificate is shown as the client
/// certificate (redis-server's default <c>tls-auth-clients yes</c> asks for one). Both are read at each connect, so a
/// renewed certificate or authority file serves the next reconnect.
/// </summary>
internal static class RedisTls
{
    public static void Use(ConfigurationOptions options, CertificateSource source, ILogger log)
    {
        int warned = 0; // one warning per run of refusals: the connection retries every reconnect_interval_ms
        options.CertificateValidation += (_, certificate, _, errors) =>
        {
            bool trusted = PeerCertificates.Trusted(certificate, errors, source.Current.Authorities, checkName: true);
            if (trusted) Volatile.Write(ref warned, 0);
            else if (Interlocked.Exchange(ref warned, 1) == 0)
                log.LogWarning("redis: refused the server certificate {Subject} ({Errors}): it must chain to [tls] ca_file and name the host dialled",
                    certificate?.Subject ?? "(none)", errors);
            return trusted;
        };
        options.CertificateSelection += (_, _, _, _, _) => source.Current.Certificate;
    }
}
