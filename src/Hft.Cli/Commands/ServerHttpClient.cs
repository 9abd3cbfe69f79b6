using System.Security.Cryptography.X509Certificates;
using Hft.Auth.Tls;

namespace Hft.Cli.Commands;

/// <summary>
/// The HttpClient a command talks to a running server with. <c>--ca-file PATH</c> (PEM): an https server's certificate
/// must chain to those authorities and name the host dialled (<see cref="TlsOptions.Client"/>); without it the system
/// trust store decides.
/// </summary>
public static class ServerHttpClient
{
    /// <summary>A client for <paramref name="url"/>; throws <see cref="ServerHttpClientException"/> when the CA file does not load.</summary>
    public static HttpClient Create(Uri url, string? caFile, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler();
        if (caFile is not null) handler.SslOptions = TlsOptions.Client(url.IdnHost, Authorities(caFile));
        return new HttpClient(handler) { BaseAddress = url, Timeout = timeout };
    }

    private static X509Certificate2Collection Authorities(string caFile)
    {
        try
        {
            return TlsMaterial.LoadAuthorities(caFile);
        }
        catch (TlsFileException e)
        {
            throw new ServerHttpClientException($"cannot load --ca-file {caFile}: {e.InnerException?.Message ?? e.Message}");
        }
    }
}

/// <summary>The options of a server connection are unusable (e.g. a CA file that does not load); exit 2.</summary>
public sealed class ServerHttpClientException(string message) : Exception(message);
