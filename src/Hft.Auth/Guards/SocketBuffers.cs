using System.Net.Sockets;
using Hft.Configuration;

namespace Hft.Auth.Guards;

/// <summary>
/// <c>[gateway] socket_receive_buffer_bytes</c> and <c>socket_send_buffer_bytes</c> on a listening socket of the
/// binary gateway, the FIX acceptor or the HTTP/WebSocket host, set before it listens: every connection it accepts
/// inherits them (and the TCP window scale the receive buffer allows). 0 leaves the kernel's default; the kernel caps a
/// request at <c>net.core.rmem_max</c> / <c>wmem_max</c> (docs/DEPLOYMENT.md, "Network buffers").
/// </summary>
public static class SocketBuffers
{
    public static void Apply(Socket socket, GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(config);
        if (config.SocketReceiveBufferBytes > 0) socket.ReceiveBufferSize = config.SocketReceiveBufferBytes;
        if (config.SocketSendBufferBytes > 0) socket.SendBufferSize = config.SocketSendBufferBytes;
    }
}
