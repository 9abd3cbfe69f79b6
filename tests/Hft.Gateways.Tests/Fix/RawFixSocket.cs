using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// A plain TCP connection to the acceptor for hostile input: sends any bytes, keeps what the server sends back, and
/// waits (bounded) for the server to close it.
/// </summary>
internal sealed class RawFixSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly MemoryStream _received = new();

    private RawFixSocket(Socket socket) => _socket = socket;

    public static RawFixSocket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(IPAddress.Loopback, port);
        return new RawFixSocket(socket);
    }

    /// <summary>What the server sent so far (as far as read by <see cref="WaitClosed"/>), SOH shown as '|'.</summary>
    public string ReceivedText => Encoding.ASCII.GetString(_received.ToArray()).Replace('\u0001', '|');

    /// <summary>Sends <paramref name="bytes"/>; false when the server had already closed the connection.</summary>
    public bool Send(ReadOnlySpan<byte> bytes)
    {
        try
        {
            while (!bytes.IsEmpty) bytes = bytes[_socket.Send(bytes, SocketFlags.None)..];
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public bool Send(string text) => Send(Encoding.ASCII.GetBytes(text.Replace('|', '\u0001')));

    /// <summary>Reads until the server closes the connection (true) or <paramref name="bound"/> passes (false).</summary>
    public bool WaitClosed(TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        var buffer = new byte[4096];
        while (true)
        {
            var left = bound - clock.Elapsed;
            if (left <= TimeSpan.Zero) return false;
            if (!_socket.Poll((int)Math.Max(1, left.TotalMicroseconds), SelectMode.SelectRead)) return false;
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (SocketException)
            {
                return true; // reset by the server
            }
            if (n == 0) return true;
            _received.Write(buffer, 0, n);
        }
    }

    /// <summary>The server has not closed the connection (checked without waiting).</summary>
    public bool IsOpen => !(_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0);

    public void Dispose() => _socket.Dispose();
}
