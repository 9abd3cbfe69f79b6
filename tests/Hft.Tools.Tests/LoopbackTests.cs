using System.Net;
using System.Net.Sockets;

namespace Hft.Tools.Tests;

public class LoopbackTests
{
    [Fact]
    public void Ports_are_below_the_kernels_ephemeral_range_distinct_and_bindable()
    {
        int low = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0]);
        var ports = new HashSet<int>();
        for (int i = 0; i < 50; i++)
        {
            int port = Loopback.FreePort();
            Assert.InRange(port, 1024, low - 1);
            Assert.True(ports.Add(port), $"port {port} handed out twice");
        }
        foreach (int port in ports.Take(5))
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
    }
}
