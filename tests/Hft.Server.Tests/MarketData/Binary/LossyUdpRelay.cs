using System.Net;
using System.Net.Sockets;

namespace Hft.Server.Tests.MarketData.Binary;

/// <summary>
/// A UDP relay on loopback between the feed and a client that drops the datagrams <c>drop</c> picks (by arrival number,
/// from 1): packet loss as a network would cause it. Forwards once <see cref="To"/> is set (the client binds after the
/// feed started, on a port the system picks). Runs until disposed.
/// </summary>
internal sealed class LossyUdpRelay : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _forwarded, _dropped;

    public LossyUdpRelay(Func<long, bool> drop)
    {
        _socket.ReceiveBufferSize = 4 << 20;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        Drop = drop;
        _thread = new Thread(Run) { IsBackground = true, Name = "test-lossy-relay" };
        _thread.Start();
    }

    public int Port { get; }

    /// <summary>The loopback port datagrams go to (0: not yet, they are discarded).</summary>
    public volatile int To;

    /// <summary>Which datagrams to drop (may be changed while running).</summary>
    public volatile Func<long, bool> Drop;

    /// <summary>Packets whose messages all come before this feed sequence are not forwarded (0: every packet is).</summary>
    public long ForwardFrom
    {
        get => Interlocked.Read(ref _forwardFrom);
        set => Interlocked.Exchange(ref _forwardFrom, value);
    }

    private long _forwardFrom;

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long Dropped => Interlocked.Read(ref _dropped);

    private void Run()
    {
        var buffer = new byte[65_536];
        for (long n = 1; !_stopping; n++)
        {
            int length;
            try
            {
                length = _socket.Receive(buffer);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            if (To == 0) continue;
            // A packet sent before the client joined may still be queued here on a busy machine: never forward it late.
            if (Hft.MarketData.MoldPacket.TryReadHeader(buffer.AsSpan(0, length), out _, out long first, out ushort count)
                && count > 0 && count != Hft.MarketData.MoldPacket.EndOfSession && first + count <= ForwardFrom) continue;
            if (Drop(n))
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }
            _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, new IPEndPoint(IPAddress.Loopback, To));
            Interlocked.Increment(ref _forwarded);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _socket.Dispose();
        _thread.Join(TimeSpan.FromSeconds(5));
    }
}
