using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Hft.Tools;

/// <summary>Ports for servers a tool or test starts on 127.0.0.1 and must name before they start.</summary>
public static class Loopback
{
    private const int DefaultEphemeralLow = 32768;
    private const int RangeSize = 10_000;
    private static readonly int s_low = Math.Max(1024, EphemeralLow() - RangeSize);
    private static int s_next = Random.Shared.Next(RangeSize);

    /// <summary>
    /// A TCP port free on 127.0.0.1 right now, for a server that binds it soon after. Taken below the kernel's ephemeral
    /// range: a port the OS picked (bind to 0) is handed to the next connecting socket once released, and one did take
    /// it before a Raft member bound it ("Address already in use"). Ports here are only taken by servers asking for them;
    /// each call in this process moves on to the next one, starting at a random place so that processes differ.
    /// </summary>
    public static int FreePort()
    {
        for (int attempt = 0; attempt < RangeSize; attempt++)
        {
            int port = s_low + (int)((uint)Interlocked.Increment(ref s_next) % RangeSize);
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"no free TCP port on 127.0.0.1 in {s_low}-{s_low + RangeSize - 1}");
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>The lowest port the kernel hands out on its own (Linux: /proc/sys/net/ipv4/ip_local_port_range).</summary>
    private static int EphemeralLow()
    {
        try
        {
            string range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            string first = range.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int low) && low > 1024 + RangeSize ? low : DefaultEphemeralLow;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return DefaultEphemeralLow;
        }
    }
}
