using System.Net;
using System.Net.Sockets;

namespace Hft.Tools;

/// <summary>Ports for servers a tool or test starts on 127.0.0.1 and must name before they start.</summary>
public static class Loopback
{
    /// <summary>A TCP port free on 127.0.0.1 right now (the OS picks it; a server binds it soon after).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
