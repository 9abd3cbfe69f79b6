using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Hft.Configuration;

namespace Hft.Auth.Tls;

/// <summary>
/// The server side of TLS for a TCP gateway's accepted connections (binary, FIX): one handshake per connection, with
/// the certificate current at that moment, within the login deadline (a client that never finishes the handshake
/// costs no more than one that never logs on).
/// </summary>
public sealed class GatewayTls
{
    private readonly CertificateSource _source;
    private readonly ClientCertificatePolicy _clients;
    private readonly TimeSpan _deadline;

    public GatewayTls(CertificateSource source, ClientCertificatePolicy clients, TimeSpan deadline)
    {
        _source = source;
        _clients = clients;
        _deadline = deadline;
    }

    /// <summary>TLS for a gateway whose [tls] switch is <paramref name="enabled"/>, or null (plain TCP).</summary>
    public static GatewayTls? For(bool enabled, CertificateSource? source, HftConfig config)
        => enabled && source is not null
            ? new GatewayTls(source, TlsOptions.ClientPolicy(config.Tls), TimeSpan.FromSeconds(config.Security.LoginTimeoutSeconds))
            : null;

    /// <summary>
    /// The encrypted stream over <paramref name="socket"/> (which it then owns), or null when the handshake failed, took
    /// too long, or <paramref name="cancel"/> ended it first (a gateway's own login deadline or its shutdown).
    /// </summary>
    public async Task<SslStream?> AcceptAsync(Socket socket, CancellationToken cancel = default)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(_deadline);
            await stream.AuthenticateAsServerAsync(TlsOptions.Server(_source, _clients), deadline.Token);
            return stream;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            await stream.DisposeAsync();
            return null;
        }
    }
}
