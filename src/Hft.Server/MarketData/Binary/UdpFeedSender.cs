using System.Net;
using System.Net.Sockets;

namespace Hft.Server.MarketData.Binary;

/// <summary>
/// Sends each packet, as one datagram, to every unicast subscriber and to the multicast group. UDP never waits for a
/// receiver: a subscriber that does not read loses packets in its own socket buffer and recovers over TCP; the others
/// are unaffected. Destinations are resolved once, at construction; a send needs no allocation.
/// </summary>
internal sealed class UdpFeedSender : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly SocketAddress[] _destinations;
    private long _packets, _bytes, _errors;

    public UdpFeedSender(BinaryFeedOptions options)
    {
        var destinations = new List<IPEndPoint>();
        foreach (var target in options.Targets) destinations.Add(Resolve(target));
        if (options.MulticastGroup is { } group)
        {
            var address = IPAddress.Parse(group);
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, options.MulticastTtl);
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, options.MulticastLoopback);
            if (options.MulticastInterface is { } nic)
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.Parse(nic).GetAddressBytes());
            destinations.Add(new IPEndPoint(address, options.MulticastPort));
        }
        _socket.SendBufferSize = Math.Max(_socket.SendBufferSize, 1 << 20);
        Destinations = destinations;
        _destinations = destinations.ConvertAll(d => d.Serialize()).ToArray();
    }

    public IReadOnlyList<IPEndPoint> Destinations { get; }

    public long Packets => Interlocked.Read(ref _packets);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Datagrams the system refused to send (counted, never thrown: the feed goes on).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    public void Send(ReadOnlySpan<byte> packet)
    {
        foreach (var destination in _destinations)
        {
            try
            {
                _socket.SendTo(packet, SocketFlags.None, destination);
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _errors);
            }
        }
        Interlocked.Increment(ref _packets);
        Interlocked.Add(ref _bytes, (long)packet.Length * _destinations.Length);
    }

    /// <summary><c>host:port</c> to an IPv4 endpoint (a name is resolved now).</summary>
    internal static IPEndPoint Resolve(string target)
    {
        if (!Hft.Configuration.HostPort.TryParse(target, out var host, out int port))
            throw new ArgumentException($"binary feed target '{target}' is not host:port");
        if (!IPAddress.TryParse(host, out var address))
            address = Array.Find(Dns.GetHostAddresses(host), a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new ArgumentException($"binary feed target '{target}' has no IPv4 address");
        return new IPEndPoint(address, port);
    }

    public void Dispose() => _socket.Dispose();
}
